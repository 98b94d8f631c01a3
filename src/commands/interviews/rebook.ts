/**
 * bookops interviews rebook --slot <id> --user <tg id>: books a time slot again after a cancel,
 * through the booking rule (bookSlot, seed 000). Under the legacy UNIQUE (time_slot_id) the rule
 * archives and deletes the slot's cancelled interviews first; after migration 0002 they stay as
 * history. The plan says which, and refuses (exit 6) while an active interview holds the slot.
 */
import type { TimestampText } from '../../domain/db.js';
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { runSql } from '../../data/sql-files.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { bookSlot, interviewKeyShape, type BookSlotResult } from '../../domain/interviews/index.js';
import { INTERVIEW_CANCELLED, params as statusParams } from '../../domain/statuses.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { requireId, requireTgId } from '../../domain/validate.js';

export interface RebookOptions {
  slot: number;
  user: number;
  status?: 'pending' | 'confirmed';
}

interface SlotInterview {
  time_slot_id: number;
  id: number | null;
  bot_user_id: number | null;
  status: string | null;
  created_at: TimestampText | null;
  cancelled_at: TimestampText | null;
  active: boolean;
  cancelled: boolean;
}

export interface RebookPlan extends ShownPlan {
  slotId: number;
  userTgId: number;
  status: 'pending' | 'confirmed';
  legacyKey: boolean;
  keys: string[];
  /** Cancelled interviews the rule will archive and delete (legacy key only). */
  cancelledToArchive: number[];
  /** Cancelled interviews that stay as history (migrated schema). */
  cancelledKept: number[];
}

export type RebookResult = DestructiveResult<RebookPlan, BookSlotResult>;

export async function run(ctx: Context, opts: RebookOptions): Promise<RebookResult> {
  const db = await ctx.db();
  await requireModule(db, 'interviews');
  const status = opts.status ?? 'confirmed';
  requireId('--slot', opts.slot);
  requireTgId('--user', opts.user);
  const rows = await runSql<SlotInterview>(db, 'support/time-slot-interviews', {
    slotId: opts.slot,
    interviewActive: statusParams.interviewActive,
    cancelledStatus: INTERVIEW_CANCELLED,
  });
  if (rows.length === 0) throw new NotFoundError(`time slot ${opts.slot} does not exist`);
  const interviews = rows.filter((r) => r.id !== null);
  const holder = interviews.find((r) => r.active);
  if (holder) {
    throw new ConflictError(
      `time slot ${opts.slot} is taken: interview ${holder.id} (${holder.status}) of user ${holder.bot_user_id}${Number(holder.bot_user_id) === opts.user ? ', the same user' : ''}; nothing was changed`,
      { hint: `cancel interview ${holder.id} first if it should go`, details: { slotId: opts.slot, holder } },
    );
  }
  const shape = await interviewKeyShape(db);
  const keys = shape.keys.map((k) => k.constraint_name ?? k.index_name);
  const cancelled = interviews.filter((r) => r.cancelled).map((r) => Number(r.id));
  const other = interviews.filter((r) => !r.cancelled);
  if (shape.legacyKey && other.length > 0) {
    throw new ConflictError(
      `time slot ${opts.slot} is held by interview ${other[0].id} with status '${other[0].status}' under the legacy unique key ${keys.join(', ')}; only cancelled interviews are cleared; nothing was changed`,
      { details: { slotId: opts.slot, holder: other[0] } },
    );
  }
  const toArchive = shape.legacyKey ? cancelled : [];
  const summary =
    `book time slot ${opts.slot} for user ${opts.user} (a new ${status} interview)` +
    (toArchive.length > 0
      ? `, archiving and deleting ${toArchive.length} cancelled interview(s) (${toArchive.join(', ')}) that block it under the legacy key ${keys.join(', ')}`
      : cancelled.length > 0
        ? `; its ${cancelled.length} cancelled interview(s) stay as history (${keys.join(', ') || 'no key'} counts active interviews only)`
        : '');
  const plan: RebookPlan = {
    summary,
    slotId: opts.slot,
    userTgId: opts.user,
    status,
    legacyKey: shape.legacyKey,
    keys,
    cancelledToArchive: toArchive,
    cancelledKept: shape.legacyKey ? [] : cancelled,
    sample: { table: 'interviews', total: interviews.length, rows: interviews.map(({ time_slot_id: _t, ...r }) => r) },
    steps: [
      `find the unique keys on interviews (time_slot_id) in the catalog: ${keys.join(', ') || 'none'}${shape.legacyKey ? ' (legacy: counts cancelled rows)' : ''}`,
      ...(shape.legacyKey ? [`archive and delete the cancelled interviews of slot ${opts.slot}: ${toArchive.length}`] : []),
      `insert interview (slot ${opts.slot}, user ${opts.user}, ${status}) unless an active interview holds the slot (the unique key settles races)`,
    ],
  };
  return runDestructive(ctx, {
    action: 'interviews.rebook',
    plan: { describe: summary, preview: plan, empty: false },
    apply: (applier) => applier.transaction((trx, op) => bookSlot(trx, op, { slotId: opts.slot, userTgId: opts.user, status })),
    summary: (r) => ({ slotId: opts.slot, userTgId: opts.user, interviewId: r.interview.id, archivedCancelledIds: r.archivedCancelledIds }),
  });
}

export function render(r: RebookResult, out: Output): void {
  renderDestructive(r, out, {
    done: (res) => [
      `${out.c.green('booked')} time slot ${res.interview.time_slot_id} for user ${res.interview.bot_user_id}: new interview ${res.interview.id} (${res.interview.status})`,
      res.archivedCancelledIds.length > 0
        ? `archived and deleted cancelled interview(s) ${res.archivedCancelledIds.join(', ')}: the legacy key ${res.keys.join(', ')} counted them`
        : res.legacyPath
          ? 'no cancelled interview was in the way'
          : `no cancelled interview was touched: ${res.keys.join(', ') || 'the key'} counts active interviews only`,
    ],
  });
}
