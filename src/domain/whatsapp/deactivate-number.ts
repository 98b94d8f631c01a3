/**
 * Deactivating a number and its bots: the reversible alternative seed 003 recommends for a number
 * in use. The number and its active bots get is_active = false, each row archived before the
 * update (undo: archive restore); nothing is deleted.
 */
import type { Knex } from 'knex';
import type { Applier } from '../../archive/applier.js';
import type { ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import { translated } from '../../data/db.js';
import type { Db } from '../../data/sql.js';
import * as whatsapp from '../../data/whatsapp.repository.js';
import type { WhatsappNumberRow } from '../../data/whatsapp.repository.js';
import { NotFoundError } from '../../errors.js';
import { applyChanges, archivesOf, previewed, statementsOf, type PlannedChange } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { numberLabel } from './delete-number.js';
import { resolveNumber } from './resolve-number.js';
import type { NumberRef } from './types.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export interface DeactivatePlan extends PlanBase {
  number: { id: number; phone_number: string; display_name: string | null; is_active: boolean };
  activeBots: number;
  changes: PlannedChange[];
  steps: string[];
  statements: ShownStatement[];
}

export interface DeactivateNumberResult {
  number: WhatsappNumberRow;
  /** The number was active and is not now (false: it was already inactive). */
  numberDeactivated: boolean;
  botsDeactivated: number;
}

export async function planDeactivateNumber(db: Db, input: { number: NumberRef; sample?: number }): Promise<DeactivatePlan> {
  const number = await resolveNumber(db, input.number);
  const activeBots = await whatsapp.activeBots(db, number.id);
  const params = { numberId: number.id };
  const changes = await previewed(
    db,
    [
      { role: 'number', table: 'whatsapp_numbers', change: 'update', where: whatsapp.activeNumber(), set: whatsapp.deactivateNumber(), params },
      { role: 'bots', table: 'bots', change: 'update', where: whatsapp.activeBotsOfNumber(), set: whatsapp.deactivateBot(), params },
    ],
    { sample: input.sample ?? PREVIEW_ROWS },
  );
  const empty = !number.is_active && activeBots === 0;
  return {
    summary: empty
      ? `WhatsApp number ${numberLabel(number)} and its bots are already inactive`
      : `deactivate WhatsApp number ${numberLabel(number)}${number.is_active ? '' : ' (already inactive)'} and its ${activeBots} active bot(s); nothing is deleted`,
    empty,
    archives: archivesOf(changes),
    number: { id: number.id, phone_number: number.phone_number, display_name: number.display_name, is_active: number.is_active },
    activeBots,
    changes,
    steps: [`lock the number`, `archive the number and its active bots, then set is_active = false on them`],
    statements: statementsOf(db, changes),
  };
}

export async function applyDeactivateNumber(trx: Knex.Transaction, op: ArchiveOperation, plan: DeactivatePlan): Promise<DeactivateNumberResult> {
  return translated(async () => {
    const numberId = plan.number.id;
    if (!(await whatsapp.lockNumber(trx, numberId))) throw new NotFoundError(`WhatsApp number ${plan.number.phone_number} (id ${numberId}) was deleted meanwhile`);
    const done = await applyChanges(trx, op, plan.changes);
    const number = (await whatsapp.lockNumber(trx, numberId))!;
    return { number, numberDeactivated: done.number.count === 1, botsDeactivated: done.bots.count };
  });
}

/** The rule as a caller with a transaction runs it. */
export async function deactivateNumber(trx: Knex.Transaction, op: ArchiveOperation, ref: NumberRef): Promise<DeactivateNumberResult> {
  return applyDeactivateNumber(trx, op, await planDeactivateNumber(trx, { number: ref, sample: 0 }));
}

export const deactivateNumberRule: DestructiveRule<{ number: NumberRef; sample?: number }, DeactivatePlan, DeactivateNumberResult> = {
  action: 'whatsapp.deactivate',
  doing: 'deactivating the WhatsApp number',
  async plan(db, input) {
    await requireModule(db, 'whatsapp');
    return planDeactivateNumber(db, input);
  },
  apply: (applier: Applier, plan) => applier.transaction((trx, op) => applyDeactivateNumber(trx, op, plan)),
  summary: (r) => ({ number: r.number.phone_number, numberId: r.number.id, numberDeactivated: r.numberDeactivated, botsDeactivated: r.botsDeactivated }),
};
