/**
 * interviews clean-cancelled: archives and deletes the cancelled interviews that block rebooking
 * their slot while the legacy UNIQUE (time_slot_id) counts them (seed 000): the rows of the
 * rule interviews.cancelled-blocking (sql/interviews), which the audit check counts too. After
 * migration 0002 nothing blocks any more and the cancelled rows are history: the plan says so and
 * changes nothing. Set-based, in committed batches under one archive operation.
 */
import type { Applier } from '../../archive/applier.js';
import { applyBatched, batchedSample, planBatched, type BatchedChange, type BatchesResult, type ShownStatement } from '../../archive/changes.js';
import * as interviews from '../../data/interviews.repository.js';
import type { Db } from '../../data/sql.js';
import { NotFoundError } from '../../errors.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { requireId } from '../validate.js';
import { batchedPreview } from '../planned.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export const DEFAULT_BATCH_SIZE = 5000;

export interface CleanCancelledInput {
  slotId?: number;
  /** Milliseconds: only interviews cancelled longer ago than this. */
  olderThanMs?: number;
  batchSize?: number;
  sample?: number;
}

export interface CleanCancelledPlan extends PlanBase {
  /** A unique key on interviews (time_slot_id) without a predicate exists (the legacy one). */
  legacyKey: boolean;
  keys: string[];
  count: number;
  cutoff: string | null;
  batchSize: number;
  slotId: number | null;
  change: BatchedChange | null;
  statements: ShownStatement[];
}

export async function planCleanCancelled(db: Db, input: CleanCancelledInput): Promise<CleanCancelledPlan> {
  await requireModule(db, 'interviews');
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const slotId = input.slotId === undefined ? null : requireId('--slot', input.slotId);
  if (slotId !== null && !(await interviews.findTimeSlot(db, slotId))) throw new NotFoundError(`time slot ${slotId} does not exist`);
  const shape = await interviews.interviewKeyShape(db);
  const keys = shape.names;
  const scope = slotId !== null ? ` of time slot ${slotId}` : '';
  const base = { legacyKey: shape.legacyKey, keys, batchSize, slotId };
  if (!shape.legacyKey) {
    return {
      ...base,
      summary: `nothing blocks rebooking here: interviews (time_slot_id) is unique only among active interviews (${keys.join(', ') || 'no key'}), so cancelled interviews${scope} are history and stay`,
      empty: true,
      archives: {},
      count: 0,
      cutoff: null,
      change: null,
      statements: [],
    };
  }
  const cutoff = input.olderThanMs === undefined ? null : await interviews.cutoff(db, input.olderThanMs);
  const change = await planBatched(db, { table: 'interviews', change: 'delete', where: interviews.cancelledBlockingScoped(), params: { slotId, cutoff } }, batchSize);
  const count = change.ids.length;
  const older = cutoff ? `, cancelled before ${cutoff}` : '';
  return {
    ...base,
    summary:
      count === 0
        ? `no cancelled interview${scope} blocks its slot${cutoff ? ` (cancelled before ${cutoff})` : ''}`
        : `archive and delete ${count} cancelled interview(s)${scope}${older} that block rebooking under the legacy key ${keys.join(', ')}`,
    ...batchedPreview(db, change),
    count,
    cutoff,
    change,
    sample: { table: 'interviews', total: count, rows: await batchedSample(db, change, input.sample ?? PREVIEW_ROWS) },
  };
}

export const cleanCancelled: DestructiveRule<CleanCancelledInput, CleanCancelledPlan, BatchesResult> = {
  action: 'interviews.clean-cancelled',
  doing: 'deleting cancelled interviews',
  unit: 'interviews',
  plan: planCleanCancelled,
  apply: (applier: Applier, plan) => (plan.change ? applyBatched(applier, plan.change) : Promise.resolve({ rows: 0, batches: 0 })),
  summary: (r, plan) => ({ deleted: r.rows, batches: r.batches, slot: plan.slotId, cutoff: plan.cutoff }),
};
