/**
 * bookops whatsapp deactivate <number>: the reversible alternative to delete (seed 003): the
 * number and its active bots get is_active = false, archived before the update; nothing is
 * deleted.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { deactivateNumber, resolveNumber, type DeactivateNumberResult } from '../../domain/whatsapp/index.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { previewRows } from '../shared/preview-rows.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';

export interface DeactivateOptions {
  number: string;
  /** Rows shown per table by --dry-run. */
  sample?: number;
}

export interface DeactivatePlan extends ShownPlan {
  number: { id: number; phone_number: string; display_name: string | null; is_active: boolean };
  activeBots: number;
}

export type DeactivateResult = DestructiveResult<DeactivatePlan, DeactivateNumberResult>;

export async function run(ctx: Context, opts: DeactivateOptions): Promise<DeactivateResult> {
  const db = await ctx.db();
  await requireModule(db, 'whatsapp');
  const number = await resolveNumber(db, opts.number);
  const [{ n: activeBots }] = await runSql<{ n: number }>(db, 'support/whatsapp-active-bots', { numberId: number.id });
  const label = `${number.phone_number}${number.display_name ? ` (${number.display_name})` : ''}, id ${number.id}`;
  const empty = !number.is_active && activeBots === 0;
  const summary = empty
    ? `WhatsApp number ${label} and its bots are already inactive`
    : `deactivate WhatsApp number ${label}${number.is_active ? '' : ' (already inactive)'} and its ${activeBots} active bot(s); nothing is deleted`;
  const plan: DeactivatePlan = {
    summary,
    number: { id: number.id, phone_number: number.phone_number, display_name: number.display_name, is_active: number.is_active },
    activeBots,
    changes: [
      await previewRows(db, { table: 'whatsapp_numbers', change: 'update', where: sqlText('whatsapp/where-active-number'), params: { numberId: number.id }, sample: opts.sample ?? 20 }),
      await previewRows(db, { table: 'bots', change: 'update', where: sqlText('whatsapp/where-active-bots'), params: { numberId: number.id }, sample: opts.sample ?? 20 }),
    ],
    steps: [`lock the number`, `archive the number and its active bots, then set is_active = false on them`],
  };
  return runDestructive(ctx, {
    action: 'whatsapp.deactivate',
    plan: { describe: summary, preview: plan, empty },
    apply: (applier) => applier.transaction((trx, op) => deactivateNumber(trx, op, { id: number.id })),
    summary: (r) => ({ number: number.phone_number, numberId: number.id, numberDeactivated: r.numberDeactivated, botsDeactivated: r.botsDeactivated }),
  });
}

export function render(r: DeactivateResult, out: Output): void {
  renderDestructive(r, out, {
    done: (res) => [
      `${out.c.green('deactivated')} WhatsApp number ${res.number.phone_number} (id ${res.number.id})${res.numberDeactivated ? '' : ' (was already inactive)'} and ${res.botsDeactivated} bot(s)`,
    ],
  });
}
