/**
 * Deleting a WhatsApp number with everything under it (seed 003), on a legacy database whose
 * foreign keys do not cascade as well as after migration 0005: children first (messages,
 * conversations, recipients, broadcasts, bots, then the number), every row archived, in one
 * transaction. The same rows go either way, so `archive restore` undoes either. The plan counts
 * what goes and finds rows of tables bookops does not know that reference the tree; apply counts
 * again under the number's lock and refuses when anything changed since the plan.
 */
import type { Knex } from 'knex';
import type { Applier } from '../../archive/applier.js';
import type { ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import * as archive from '../../data/archive.repository.js';
import { translated } from '../../data/db.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import type { Db, Sql } from '../../data/sql.js';
import * as whatsapp from '../../data/whatsapp.repository.js';
import type { NumberDeletionCounts, NumberRows, ReferrerKey, WhatsappNumberRow } from '../../data/whatsapp.repository.js';
import { ConflictError, NotFoundError, RefusedError } from '../../errors.js';
import { applyChanges, archivesOf, previewed, statementsOf, type PlannedChange } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { resolveNumber, samePhoneNumber } from './resolve-number.js';
import type { NumberRef } from './types.js';
import { PREVIEW_ROWS } from '../preview-rows.js';
import { asInvoked } from '../../invocation.js';

/** The number's tree, children before parents: the order a delete takes, and the rows of each table it removes (alias t). */
const TREE: Array<{ table: string; key: keyof NumberDeletionCounts | null; where: () => Sql }> = [
  { table: 'whatsapp_messages', key: 'messages', where: whatsapp.messagesOfNumber },
  { table: 'conversations', key: 'conversations', where: whatsapp.ofNumber },
  { table: 'broadcast_recipients', key: 'recipients', where: whatsapp.recipientsOfNumber },
  { table: 'broadcasts', key: 'broadcasts', where: whatsapp.ofNumber },
  { table: 'bots', key: 'bots', where: whatsapp.ofNumber },
  { table: 'whatsapp_numbers', key: null, where: whatsapp.number },
];
export const NUMBER_TREE = TREE.map((t) => t.table);
const KINDS: Array<keyof NumberDeletionCounts> = ['bots', 'conversations', 'messages', 'broadcasts', 'recipients'];

export interface OtherReferrer extends ReferrerKey {
  /** Rows of table_name that reference this number's rows through the key. */
  rows: number;
}

export interface NumberPreview {
  number: WhatsappNumberRow;
  counts: NumberDeletionCounts;
  /** Rows a delete removes in all, the number included. */
  total: number;
  /** Foreign keys from unknown tables into the tree, each with the rows it holds for this number. */
  otherReferrers: OtherReferrer[];
  /** The first rows of each kind. */
  rows: NumberRows;
  /** Rows of unknown tables a delete would cascade to or set null (it refuses, exit 4: no archive would hold them). */
  unarchivableReferrers: OtherReferrer[];
  /** Rows of unknown tables that reference the tree through a blocking key (the delete fails, exit 6). */
  blockingReferrers: OtherReferrer[];
}

export interface DeletePlan extends PlanBase {
  preview: NumberPreview;
  changes: PlannedChange[];
  steps: string[];
  statements: ShownStatement[];
}

export interface DeleteNumberResult {
  number: WhatsappNumberRow;
  /** Rows archived and deleted per kind (equal to the archive's rows per table). */
  deleted: NumberDeletionCounts;
  total: number;
  operationId: number;
}

/** A delete would change rows no archive holds: it refuses while any exist. */
export function changesUnarchived(o: OtherReferrer): boolean {
  return o.rows > 0 && (o.on_delete === 'cascade' || o.on_delete === 'set null' || o.on_delete === 'set default');
}

/** The key stops the delete: it fails while such rows exist. */
export function blocksDelete(o: OtherReferrer): boolean {
  return o.rows > 0 && (o.on_delete === 'restrict' || o.on_delete === 'no action');
}

/** "3 row(s) of site_notes (site_notes_conversation_id_fkey, on delete cascade)" */
export function describeReferrers(referrers: OtherReferrer[]): string {
  return referrers.map((o) => `${o.rows} row(s) of ${o.table_name} (${o.constraint_name}, on delete ${o.on_delete})`).join(', ');
}

/** "2 bots, 3 conversations (6 messages), 2 broadcasts (8 recipients)" */
export function describeCounts(c: NumberDeletionCounts): string {
  return `${c.bots} bot(s), ${c.conversations} conversation(s) (${c.messages} message(s)), ${c.broadcasts} broadcast(s) (${c.recipients} recipient(s))`;
}

export function numberLabel(n: WhatsappNumberRow): string {
  return `${n.phone_number}${n.display_name ? ` (${n.display_name})` : ''}, id ${n.id}`;
}

/** Every foreign key into the tree from another table, with the rows it holds for this number. */
async function otherReferrers(db: Db, numberId: number): Promise<OtherReferrer[]> {
  const out: OtherReferrer[] = [];
  for (const key of await whatsapp.otherReferrerKeys(db, NUMBER_TREE)) {
    const where = TREE.find((t) => t.table === key.references_table)!.where();
    out.push({ ...key, rows: await archive.countReferencing(db, key, key.references_table, where, { numberId }) });
  }
  return out;
}

/** What deleting the number would take with it (`whatsapp preview-delete`), read-only. */
export async function previewNumberDeletion(db: Db, ref: NumberRef, sample = 20): Promise<NumberPreview> {
  return translated(async () => {
    const number = await resolveNumber(db, ref);
    const counts = await whatsapp.deletionCounts(db, number.id);
    const others = await otherReferrers(db, number.id);
    return {
      number,
      counts,
      total: 1 + KINDS.reduce((n, k) => n + counts[k], 0),
      otherReferrers: others,
      rows: await whatsapp.numberRows(db, number.id, sample),
      unarchivableReferrers: others.filter(changesUnarchived),
      blockingReferrers: others.filter(blocksDelete),
    };
  });
}

export async function planDeleteNumber(db: Db, input: { number: NumberRef; sample?: number }): Promise<DeletePlan> {
  const preview = await previewNumberDeletion(db, input.number, input.sample ?? PREVIEW_ROWS);
  const numberId = preview.number.id;
  const changes = await previewed(
    db,
    TREE.map((t) => ({ role: t.table, table: t.table, change: 'delete' as const, where: t.where(), params: { numberId } })),
    { sample: 0 },
  );
  const c = preview.counts;
  return {
    summary: `delete WhatsApp number ${numberLabel(preview.number)} with everything under it (${preview.total} row(s): the number, ${describeCounts(c)})`,
    empty: false,
    archives: archivesOf(changes),
    preview,
    changes,
    steps: [
      `lock the number, then its conversations and broadcasts (nobody adds children meanwhile)`,
      `count again: if the number gained or lost rows since this preview, stop (nothing deleted)`,
      `archive and delete, children first: ${c.messages} whatsapp_messages, ${c.conversations} conversations, ${c.recipients} broadcast_recipients, ${c.broadcasts} broadcasts, ${c.bots} bots, 1 whatsapp_numbers`,
    ],
    statements: statementsOf(db, changes),
  };
}

/** Refuses before anyone types a phone number for a delete that cannot happen. */
function refuseReferrers(number: WhatsappNumberRow, others: OtherReferrer[]): void {
  const unarchived = others.filter(changesUnarchived);
  if (unarchived.length > 0) {
    throw new RefusedError(`deleting number ${number.phone_number} would also change ${describeReferrers(unarchived)}, which bookops cannot archive; nothing was deleted`, {
      hint: `deactivate it instead (${asInvoked(`whatsapp deactivate ${number.id}`)}), or remove those rows yourself first`,
      details: { otherReferrers: unarchived },
    });
  }
  const blocking = others.filter(blocksDelete);
  if (blocking.length > 0) {
    throw new ConflictError(`cannot delete number ${number.phone_number}: ${describeReferrers(blocking)} still reference it; nothing was deleted`, {
      hint: `remove those rows first, or deactivate the number (${asInvoked(`whatsapp deactivate ${number.id}`)})`,
      details: { otherReferrers: blocking },
    });
  }
}

export async function applyDeleteNumber(trx: Knex.Transaction, op: ArchiveOperation, plan: DeletePlan): Promise<DeleteNumberResult> {
  const shown = plan.preview;
  return translated(
    async () => {
      const numberId = shown.number.id;
      // The number first, then (in a statement that starts after that lock) its conversations and
      // broadcasts: from here on nothing is added anywhere under the number until commit.
      const number = await whatsapp.lockNumber(trx, numberId);
      if (!number) throw new NotFoundError(`WhatsApp number ${shown.number.phone_number} (id ${numberId}) was deleted meanwhile`);
      await whatsapp.lockNumberChildren(trx, numberId);
      const now = await whatsapp.deletionCounts(trx, numberId);
      const changed = KINDS.filter((k) => now[k] !== shown.counts[k]);
      if (changed.length > 0) {
        throw new ConflictError(
          `WhatsApp number ${number.phone_number} changed since the preview (${changed.map((k) => `${k}: ${shown.counts[k]} shown, ${now[k]} now`).join(', ')}); nothing was deleted; run it again`,
          { details: { numberId, reason: 'changed', shown: shown.counts, now } },
        );
      }
      refuseReferrers(number, await otherReferrers(trx, numberId));
      const done = await applyChanges(trx, op, plan.changes);
      const deleted = Object.fromEntries(KINDS.map((k) => [k, done[TREE.find((t) => t.key === k)!.table].count])) as unknown as NumberDeletionCounts;
      return {
        number: done.whatsapp_numbers.rows[0] as unknown as WhatsappNumberRow,
        deleted,
        total: Object.values(done).reduce((n, d) => n + d.count, 0),
        operationId: op.id,
      };
    },
    {
      // A row of a table bookops does not know was added with a blocking key after the check.
      [SQLSTATE.FOREIGN_KEY_VIOLATION]: (err) =>
        new ConflictError(`cannot delete: rows of ${err.table ?? 'another table'} still reference it (${err.constraint ?? 'foreign key'}); nothing was deleted`, {
          cause: err,
        }),
    },
  );
}

/**
 * The rule as a caller with a transaction runs it. `expected`: the counts a person confirmed
 * (a preview's), when the caller showed one: a number that gained or lost rows since is not deleted.
 */
export async function deleteNumber(trx: Knex.Transaction, op: ArchiveOperation, ref: NumberRef, opts: { expected?: NumberDeletionCounts } = {}): Promise<DeleteNumberResult> {
  const plan = await planDeleteNumber(trx, { number: ref, sample: 0 });
  return applyDeleteNumber(trx, op, opts.expected ? { ...plan, preview: { ...plan.preview, counts: opts.expected } } : plan);
}

/** `whatsapp delete`: severe, so the confirmation asks to type the phone number. */
export const deleteNumberRule: DestructiveRule<{ number: NumberRef; sample?: number }, DeletePlan, DeleteNumberResult> = {
  action: 'whatsapp.delete',
  doing: 'deleting the WhatsApp number and its rows',
  async plan(db, input) {
    await requireModule(db, 'whatsapp');
    return planDeleteNumber(db, input);
  },
  refuse: (plan) => refuseReferrers(plan.preview.number, plan.preview.otherReferrers),
  confirmation: (plan) => ({
    typeToConfirm: plan.preview.number.phone_number,
    // The phone number in any formatting the resolver reads as this number.
    accepts: (typed) => samePhoneNumber(typed, plan.preview.number.phone_number),
  }),
  apply: (applier: Applier, plan) => applier.transaction((trx, op) => applyDeleteNumber(trx, op, plan)),
  summary: (r) => ({ number: r.number.phone_number, numberId: r.number.id, deleted: r.deleted, total: r.total }),
};
