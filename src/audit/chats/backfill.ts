/**
 * The chat-room backfill, in two steps. The plan: one read-only scan finds every active booking
 * whose (teacher, student) pair has no room (hash joins over the tables, no lock beyond reading).
 * Then committed batches: each hands one page of those bookings to the migration's set-based
 * function, which re-checks them with the trigger's rule and creates their rooms, and advances the
 * checkpoint, in one short transaction; so no lock on chat_rooms outlives a batch, a crash loses
 * at most the batch in flight, and the work grows with the rooms missing, not with the bookings.
 *
 * A crash is resumed by running again: the new plan holds only what is still missing, and the
 * unfinished checkpoint carries the totals of the interrupted run. ON CONFLICT DO NOTHING in the
 * function means a batch that is run twice creates nothing twice. The caller serialises runs with
 * the chat backfill advisory lock.
 */
import type { Knex } from 'knex';
import { CHAT_OBJECTS } from '../../domain/lessons/chat-objects.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { STATUS_PARAMS } from '../checks/data.js';

export const BACKFILL_JOB = 'chats.backfill';

export interface Checkpoint {
  job: string;
  /** The last booking of the last committed batch (for the record: a resumed run plans again). */
  last_key: string | null;
  /** Bookings handed to the function so far. */
  scanned: number;
  created: number;
  batches: number;
  batch_size: number | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** What was missing when this run started. */
export interface BackfillPlan {
  pairs: number;
  bookings: number;
}

export interface BackfillProgress {
  /** Planned bookings handed to the function so far, this run. */
  done: number;
  total: number;
  created: number;
  batches: number;
}

export interface BackfillOptions {
  batchSize: number;
  /** Pause between batches (replicas and the application get air). */
  pauseMs?: number;
  /** Called once the checkpoint is read: resuming an interrupted run, or starting afresh. */
  onStart?: (checkpoint: Checkpoint, resuming: boolean) => void;
  onPlan?: (plan: BackfillPlan & { ms: number }) => void;
  onProgress?: (p: BackfillProgress) => void;
  onBatch?: (batch: { number: number; bookings: number; created: number; lastKey: string; ms: number }) => void;
}

export interface BackfillResult {
  /** The unfinished run this one continued, or null for a fresh start. */
  resumedFrom: { created: number; batches: number; startedAt: string } | null;
  planned: BackfillPlan;
  /** This run only. */
  created: number;
  batches: number;
  /** The whole run, an interrupted part included. */
  totalCreated: number;
  ms: number;
}

type Db = Knex | Knex.Transaction;

/** The checkpoint of the job, or undefined when there is no table or no row (never creates anything). */
export async function readCheckpoint(db: Db): Promise<Checkpoint | undefined> {
  const { rows } = await db.raw("SELECT to_regclass('bookops_backfill_progress') IS NOT NULL AS present");
  if (!rows[0].present) return undefined;
  const [row] = await runSql<Checkpoint>(db, 'chats/progress-read', { job: BACKFILL_JOB });
  return row;
}

export async function runBackfill(db: Knex, opts: BackfillOptions): Promise<BackfillResult> {
  const started = performance.now();
  await db.raw(sqlText('chats/progress-table'));
  const previous = await readCheckpoint(db);
  const resuming = previous && !previous.finished_at ? previous : undefined;
  const checkpoint = resuming ?? (await runSql<Checkpoint>(db, 'chats/progress-start', { job: BACKFILL_JOB, batchSize: opts.batchSize }))[0];
  opts.onStart?.(checkpoint, Boolean(resuming));

  const planStarted = performance.now();
  const [plan] = await runSql<{ booking_ids: string[]; pairs: number }>(db, 'chats/backfill-plan', STATUS_PARAMS);
  const planned = { pairs: plan.pairs, bookings: plan.booking_ids.length };
  opts.onPlan?.({ ...planned, ms: performance.now() - planStarted });

  const progress: BackfillProgress = { done: 0, total: planned.bookings, created: 0, batches: 0 };
  opts.onProgress?.({ ...progress });
  for (let start = 0; start < plan.booking_ids.length; start += opts.batchSize) {
    if (start > 0 && opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
    const t0 = performance.now();
    const page = plan.booking_ids.slice(start, start + opts.batchSize);
    const lastKey = page[page.length - 1];
    const created = await db.transaction(async (trx) => {
      const [row] = await runSql<{ created: number }>(trx, 'chats/backfill-batch', { backfillFunction: CHAT_OBJECTS.backfillFunction, bookingIds: page });
      await runSql(trx, 'chats/progress-advance', { job: BACKFILL_JOB, lastKey, scanned: page.length, created: row.created, batchSize: opts.batchSize });
      return row.created;
    });
    progress.done += page.length;
    progress.created += created;
    progress.batches += 1;
    opts.onBatch?.({ number: Number(checkpoint.batches) + progress.batches, bookings: page.length, created, lastKey, ms: performance.now() - t0 });
    opts.onProgress?.({ ...progress });
  }
  await runSql(db, 'chats/progress-finish', { job: BACKFILL_JOB });
  return {
    resumedFrom: resuming
      ? { created: Number(resuming.created), batches: resuming.batches, startedAt: new Date(resuming.started_at).toISOString() }
      : null,
    planned,
    created: progress.created,
    batches: progress.batches,
    totalCreated: Number(checkpoint.created) + progress.created,
    ms: Math.round(performance.now() - started),
  };
}
