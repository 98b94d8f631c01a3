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
import type { Target } from '../config/target.js';
import { acquireAdvisoryLock, CHAT_BACKFILL_LOCK, describeHolder } from '../data/advisory-lock.js';
import type { SessionOptions } from '../data/connect.js';
import * as lessons from '../data/lessons.repository.js';
import type { Checkpoint } from '../data/lessons.repository.js';
import type { Db } from '../data/sql.js';
import { AbsentTablesError, RefusedError } from '../errors.js';
import { CHAT_OBJECTS } from '../platform/chat-objects.js';
import { absentTables, partTables } from './health.js';
import type { ChatObjectState } from './objects.js';

export type { Checkpoint } from '../data/lessons.repository.js';

export const BACKFILL_JOB = 'chats.backfill';

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
  /** Asked before each batch and during the pause before it: throws to start no further batch (Ctrl-C). */
  checkStop?: () => void;
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

/** The checkpoint of the job, or undefined when there is no table or no row (never creates anything). */
export function readCheckpoint(db: Db): Promise<Checkpoint | undefined> {
  return lessons.readCheckpoint(db, BACKFILL_JOB);
}

/** A run's result, and the bookings it planned (for the re-check after it; not part of the report). */
export interface BackfillRun {
  result: BackfillResult;
  plannedBookingIds: string[];
}

export async function runBackfill(db: Knex, opts: BackfillOptions): Promise<BackfillRun> {
  const started = performance.now();
  await lessons.ensureProgressTable(db);
  const previous = await readCheckpoint(db);
  const resuming = previous && !previous.finished_at ? previous : undefined;
  const checkpoint = resuming ?? (await lessons.startCheckpoint(db, BACKFILL_JOB, opts.batchSize));
  opts.onStart?.(checkpoint, Boolean(resuming));

  const planStarted = performance.now();
  const plan = await lessons.backfillPlan(db);
  const planned = { pairs: plan.pairs, bookings: plan.booking_ids.length };
  opts.onPlan?.({ ...planned, ms: performance.now() - planStarted });

  const progress: BackfillProgress = { done: 0, total: planned.bookings, created: 0, batches: 0 };
  opts.onProgress?.({ ...progress });
  for (let start = 0; start < plan.booking_ids.length; start += opts.batchSize) {
    if (start > 0 && opts.pauseMs) await pause(opts.pauseMs, opts.checkStop);
    opts.checkStop?.();
    const t0 = performance.now();
    const page = plan.booking_ids.slice(start, start + opts.batchSize);
    const lastKey = page[page.length - 1];
    const created = await db.transaction(async (trx) => {
      const made = await lessons.backfillBatch(trx, CHAT_OBJECTS.backfillFunction, page);
      await lessons.advanceCheckpoint(trx, BACKFILL_JOB, { lastKey, scanned: page.length, created: made, batchSize: opts.batchSize });
      return made;
    });
    progress.done += page.length;
    progress.created += created;
    progress.batches += 1;
    opts.onBatch?.({ number: Number(checkpoint.batches) + progress.batches, bookings: page.length, created, lastKey, ms: performance.now() - t0 });
    opts.onProgress?.({ ...progress });
  }
  await lessons.finishCheckpoint(db, BACKFILL_JOB);
  const result: BackfillResult = {
    resumedFrom: resuming
      ? { created: Number(resuming.created), batches: resuming.batches, startedAt: new Date(resuming.started_at).toISOString() }
      : null,
    planned,
    created: progress.created,
    batches: progress.batches,
    totalCreated: Number(checkpoint.created) + progress.created,
    ms: Math.round(performance.now() - started),
  };
  return { result, plannedBookingIds: plan.booking_ids };
}

/** The pause between batches, in slices: a stop asked for meanwhile is seen within 100 ms, not at its end. */
async function pause(ms: number, checkStop?: () => void): Promise<void> {
  for (let waited = 0; waited < ms; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, ms - waited)));
    checkStop?.();
  }
}

/** What the backfill reads and writes: its plan is the missing-rooms rule's. */
export const BACKFILL_TABLES = partTables('missing');

/**
 * Why the backfill cannot run here, or undefined. It needs its tables, and every chat object as
 * the migrations define them: the function it calls (0006's keyset version takes other
 * arguments), and the triggers and their function first: without them, bookings activated while
 * the backfill runs would be missed again; and the unique key on chat_rooms, the only thing that
 * keeps it and a concurrent trigger or application from both creating one pair's room. Asked
 * before the lock is taken and the checkpoint written, so a refused run leaves nothing to resume.
 */
export async function backfillRefusal(db: Db, objects: ChatObjectState[]): Promise<RefusedError | AbsentTablesError | undefined> {
  const absent = await absentTables(db, BACKFILL_TABLES);
  if (absent.length) {
    return new AbsentTablesError(`cannot backfill: no table ${absent.join(', ')} (it reads ${BACKFILL_TABLES.join(', ')})`, absent);
  }
  const bad = objects.filter((o) => o.state !== 'ok');
  if (bad.length === 0) return undefined;
  const repairs = [...new Set(bad.map((o) => o.repair).filter(Boolean))];
  const why = [
    ...(bad.some((o) => o.kind !== 'key') ? ['the triggers must be in place before the backfill, or bookings activated meanwhile go missing again'] : []),
    ...(bad.some((o) => o.kind === 'key') ? ["without the unique key, the backfill and concurrent writers can create a pair's room twice"] : []),
  ];
  return new RefusedError(`cannot backfill: ${bad.map((o) => `${o.kind} ${o.name} ${o.state}`).join(', ')}`, {
    hint: [...repairs, ...why].join('; '),
    details: { objects: bad.map((o) => ({ name: o.name, kind: o.kind, state: o.state, problems: o.problems, repair: o.repair })) },
  });
}

/** The unfinished run a backfill would resume, or null. */
export async function resumable(db: Db): Promise<{ created: number; batches: number; startedAt: string } | null> {
  const checkpoint = await readCheckpoint(db);
  return checkpoint && !checkpoint.finished_at
    ? { created: Number(checkpoint.created), batches: checkpoint.batches, startedAt: new Date(checkpoint.started_at).toISOString() }
    : null;
}

/**
 * The backfill, serialised with any other on the chat backfill advisory lock (waiting up to
 * `lockWaitMs`, then refusing with exit 4 naming the holder).
 */
export async function backfillUnderLock(
  db: Knex,
  lockOn: { target: Target; session: SessionOptions; waitMs: number; onWait: (holder: string | undefined) => void },
  opts: BackfillOptions,
): Promise<BackfillRun> {
  const lock = await acquireAdvisoryLock(lockOn.target, lockOn.session, CHAT_BACKFILL_LOCK, {
    db,
    waitMs: lockOn.waitMs,
    onWait: (holder) => lockOn.onWait(holder ? describeHolder(holder) : undefined),
    hint: 'another backfill is running: let it finish (it is safe to run again afterwards), or raise --lock-wait',
  });
  try {
    return await runBackfill(db, opts);
  } finally {
    await lock.release();
  }
}
