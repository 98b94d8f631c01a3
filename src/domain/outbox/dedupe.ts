/**
 * outbox dedupe: one row per key (type, booking_id, candidate_tg_id), NULLs equal (seed 001; the
 * legacy UNIQUE lets NULL keys repeat). Which row a key keeps is the rule of sql/outbox/rules.sql
 * duplicate-rows (a sent one, else a pending one, else a failed one; the oldest within a status).
 * The plan picks the rows in one scan; they are deleted in committed batches, each row only while
 * its key's kept row still exists.
 */
import { chunks, inBatches, type Applier, type BatchesResult } from '../../archive/applier.js';
import { applyChange, shownStatements, type RowChange, type ShownStatement } from '../../archive/changes.js';
import * as outbox from '../../data/outbox.repository.js';
import type { DuplicateRow } from '../../data/outbox.repository.js';
import type { Db } from '../../data/sql.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { archiving } from '../planned.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export const KEEP_RULE = 'per key keep a sent row, else a pending one, else a failed one; within a status the oldest (lowest id)';
export const DEFAULT_BATCH_SIZE = 5000;

export interface DedupeInput {
  batchSize?: number;
  sample?: number;
}

export interface DedupePlan extends PlanBase {
  rule: string;
  keys: number;
  count: number;
  batchSize: number;
  /** The rows to delete, each with the row its key keeps. */
  doomed: DuplicateRow[];
  statements: ShownStatement[];
}

/** One batch: the planned duplicates of the page, each deleted only while its kept row exists. */
function pageChange(page: DuplicateRow[]): RowChange {
  return {
    table: 'outbox_notifications',
    change: 'delete',
    where: outbox.duplicateOfKept(),
    params: { ids: page.map((d) => d.id), keepIds: [...new Set(page.map((d) => d.keep_id))] },
  };
}

export async function planDedupe(db: Db, input: DedupeInput): Promise<DedupePlan> {
  await requireModule(db, 'recruiting');
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const doomed = await outbox.duplicateRows(db);
  const keys = new Set(doomed.map((d) => d.keep_id)).size;
  const first = chunks(doomed, batchSize)[0];
  const plan: DedupePlan = {
    summary:
      doomed.length === 0
        ? 'no duplicate outbox key (type, booking_id, candidate_tg_id)'
        : `archive and delete ${doomed.length} duplicate outbox row(s) of ${keys} key(s) (type, booking_id, candidate_tg_id), keeping one row per key`,
    empty: doomed.length === 0,
    archives: archiving('outbox_notifications', 'delete', doomed.length),
    rule: KEEP_RULE,
    keys,
    count: doomed.length,
    batchSize,
    doomed,
    sample: { table: 'outbox_notifications', total: doomed.length, rows: doomed.slice(0, input.sample ?? PREVIEW_ROWS) as unknown as Record<string, unknown>[] },
    statements: first ? shownStatements(db, pageChange(first), `one transaction per batch of ${batchSize} planned rows (the first batch shown)`, 'count') : [],
  };
  // --json prints how many rows, not every one of them (the sample shows the first).
  Object.defineProperty(plan, 'doomed', { enumerable: false });
  return plan;
}

export const dedupeOutbox: DestructiveRule<DedupeInput, DedupePlan, BatchesResult> = {
  action: 'outbox.dedupe',
  doing: 'deleting duplicate outbox messages',
  unit: 'messages',
  plan: planDedupe,
  apply: (applier: Applier, plan) => inBatches(applier, plan.doomed, plan.batchSize, async (trx, op, page) => (await applyChange(trx, op, pageChange(page), 'count')).count),
  summary: (r, plan) => ({ deleted: r.rows, batches: r.batches, keys: plan.keys }),
};
