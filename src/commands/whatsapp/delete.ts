/**
 * bookops whatsapp delete <number>: deletes a WhatsApp number with everything under it (seed
 * 003) through the rule deleteNumber: children first (messages, conversations, recipients,
 * broadcasts, bots, the number), in one transaction, every row archived, so it works on a legacy
 * database without cascading keys. Severe: the confirmation asks to type the phone number. The
 * counts confirmed are checked again under the number's lock: nothing more goes than was shown.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { ConflictError, RefusedError } from '../../errors.js';
import { deleteNumber, describeReferrers, samePhoneNumber, type DeleteNumberResult } from '../../domain/whatsapp/index.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { describeCounts, numberLabel, previewNumber, type NumberPreview } from './number-preview.js';
import { referrerWarnings, renderRows } from './preview-delete.js';

export interface DeleteOptions {
  number: string;
  sample?: number;
}

export interface DeletePlan extends ShownPlan {
  preview: NumberPreview;
}

export type DeleteResult = DestructiveResult<DeletePlan, DeleteNumberResult>;

export async function run(ctx: Context, opts: DeleteOptions): Promise<DeleteResult> {
  const db = await ctx.db();
  await requireModule(db, 'whatsapp');
  const preview = await previewNumber(db, opts.number, opts.sample ?? 20);
  const id = preview.number.id;
  // Said before the prompt: nobody types a phone number for a delete that cannot happen.
  if (!ctx.flags.dryRun && preview.unarchivableReferrers.length > 0) {
    throw new RefusedError(
      `deleting number ${preview.number.phone_number} would also change ${describeReferrers(preview.unarchivableReferrers)}, which bookops cannot archive; nothing was deleted`,
      { hint: `deactivate it instead (bookops whatsapp deactivate ${id}), or remove those rows yourself first` },
    );
  }
  if (!ctx.flags.dryRun && preview.blockingReferrers.length > 0) {
    throw new ConflictError(`cannot delete number ${preview.number.phone_number}: ${describeReferrers(preview.blockingReferrers)} still reference it; nothing was deleted`, {
      hint: `remove those rows first, or deactivate the number (bookops whatsapp deactivate ${id})`,
    });
  }
  const summary = `delete WhatsApp number ${numberLabel(preview)} with everything under it (${preview.total} row(s): the number, ${describeCounts(preview)})`;
  const plan: DeletePlan = {
    summary,
    preview,
    steps: [
      `lock the number, then its conversations and broadcasts (nobody adds children meanwhile)`,
      `count again: if the number gained or lost rows since this preview, stop (nothing deleted)`,
      `archive and delete, children first: ${preview.counts.messages} whatsapp_messages, ${preview.counts.conversations} conversations, ${preview.counts.recipients} broadcast_recipients, ${preview.counts.broadcasts} broadcasts, ${preview.counts.bots} bots, 1 whatsapp_numbers`,
    ],
  };
  return runDestructive(ctx, {
    action: 'whatsapp.delete',
    plan: {
      describe: summary,
      preview: plan,
      empty: false,
      typeToConfirm: preview.number.phone_number,
      // The phone number in any formatting the resolver reads as this number.
      accepts: (typed) => samePhoneNumber(typed, preview.number.phone_number),
    },
    apply: (applier) => applier.transaction((trx, op) => deleteNumber(trx, op, { id }, { expected: preview.counts })),
    summary: (r) => ({ number: r.number.phone_number, numberId: r.number.id, deleted: r.deleted, total: r.total }),
  });
}

export function render(r: DeleteResult, out: Output): void {
  renderDestructive(r, out, {
    details: (plan) => {
      renderRows(plan.preview, out);
      return referrerWarnings(plan.preview).map((line) => out.c.yellow(line));
    },
    done: (res) => [
      `${out.c.green('deleted')} WhatsApp number ${res.number.phone_number} (id ${res.number.id}) and ${res.total - 1} row(s) under it: ` +
        `${res.deleted.bots} bot(s), ${res.deleted.conversations} conversation(s), ${res.deleted.messages} message(s), ${res.deleted.broadcasts} broadcast(s), ${res.deleted.recipients} recipient(s)`,
    ],
  });
}
