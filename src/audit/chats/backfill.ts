/**
 * The chat-room backfill: committed keyset batches over bookings.id, each one call of the
 * migration's set-based function plus the checkpoint update, in one short transaction (so no
 * lock on bookings or chat_rooms outlives a batch, and a crash loses at most the batch in
 * flight). A run resumes from an unfinished checkpoint. ON CONFLICT DO NOTHING in the function
 * means a batch that is run twice creates nothing twice. The caller serialises runs with the
 * chat backfill advisory lock.
 */
import type { Knex } from 'knex';
import { CHAT_OBJECTS } from '../../domain/lessons/chat-objects.js';
import { runSql, sqlText } from '../../data/sql-files.js';

export const BACKFILL_JOB = 'chats.backfill';

export interface Checkpoint {
  job: string;
  last_key: string | null;
  scanned: number;
  created: number;
  batches: number;
  batch_size: number | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface BackfillProgress {
  /** Bookings scanned so far, including before a resume. */
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
  onProgress?: (p: BackfillProgress) => void;
  onBatch?: (batch: { number: number; scanned: number; created: number; lastKey: string | null; ms: number }) => void;
}

export interface BackfillResult {
  /** The unfinished run this one continued, or null for a fresh start. */
  resumedFrom: { lastBookingId: string | null; scanned: number; created: number; batches: number; startedAt: string } | null;
  /** This run only. */
  scanned: number;
  created: number;
  batches: number;
  /** The whole run, a resumed part included. */
  totalScanned: number;
  totalCreated: number;
  lastBookingId: string | null;
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
  let after = checkpoint.last_key;
  const [counts] = await runSql<{ total: number; done: number }>(db, 'chats/bookings-progress', { after });
  const progress: BackfillProgress = { done: Number(counts.done), total: Number(counts.total), created: Number(checkpoint.created), batches: checkpoint.batches };
  opts.onProgress?.({ ...progress });

  let scanned = 0;
  let created = 0;
  let batches = 0;
  for (;;) {
    const t0 = performance.now();
    const batch = await db.transaction(async (trx) => {
      const [row] = await runSql<{ last_booking_id: string | null; scanned: number; created: number }>(trx, 'chats/backfill-batch', {
        backfillFunction: CHAT_OBJECTS.backfillFunction,
        after,
        batchSize: opts.batchSize,
      });
      if (row.scanned > 0) {
        await runSql(trx, 'chats/progress-advance', {
          job: BACKFILL_JOB,
          lastKey: row.last_booking_id,
          scanned: row.scanned,
          created: row.created,
          batchSize: opts.batchSize,
        });
      }
      return row;
    });
    if (batch.scanned === 0) break;
    batches++;
    scanned += batch.scanned;
    created += batch.created;
    after = batch.last_booking_id;
    progress.done = Math.min(progress.total, progress.done + batch.scanned);
    progress.created += batch.created;
    progress.batches++;
    opts.onBatch?.({ number: progress.batches, scanned: batch.scanned, created: batch.created, lastKey: after, ms: performance.now() - t0 });
    opts.onProgress?.({ ...progress });
    // A short batch is the last one: no need for one more round trip to find nothing.
    if (batch.scanned < opts.batchSize) break;
    if (opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
  }
  await runSql(db, 'chats/progress-finish', { job: BACKFILL_JOB });
  return {
    resumedFrom: resuming
      ? {
          lastBookingId: resuming.last_key,
          scanned: Number(resuming.scanned),
          created: Number(resuming.created),
          batches: resuming.batches,
          startedAt: new Date(resuming.started_at).toISOString(),
        }
      : null,
    scanned,
    created,
    batches,
    totalScanned: Number(checkpoint.scanned) + scanned,
    totalCreated: Number(checkpoint.created) + created,
    lastBookingId: after,
    ms: Math.round(performance.now() - started),
  };
}
