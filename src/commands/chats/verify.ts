import type { Knex } from 'knex';
import type { Context } from '../../cli/context.js';
import { EXIT } from '../../cli/exit-codes.js';
import type { Output } from '../../cli/output.js';
import { startProgress } from '../../cli/progress.js';
import { formatDuration } from '../../config/duration.js';
import { RefusedError, UsageError } from '../../errors.js';
import { readCheckpoint, runBackfill, type BackfillResult } from '../../audit/chats/backfill.js';
import { absentTables, partTables, readChatHealth, readChatObjects, type ChatHealth } from '../../audit/chats/health.js';
import type { ChatObjectState } from '../../audit/chats/objects.js';
import { acquireAdvisoryLock, CHAT_BACKFILL_LOCK, describeHolder } from '../../migrate/advisory-lock.js';
import { loadMigrations } from '../../migrate/migration-file.js';
import { migrationsDir } from '../migrate/deps.js';
import { renderVerify } from './render-verify.js';

export interface VerifyOptions {
  checkOnly?: boolean;
  backfill?: boolean;
  batchSize?: number;
  pause?: number;
  lockWait?: number;
  sample?: number;
  migrationsDir?: string;
}

export interface DryRunPlan {
  /** What the backfill would create now. */
  wouldCreate: { pairs: number; bookings: number; sample: Array<Record<string, unknown>> };
  /** An unfinished run the backfill would resume. */
  wouldResumeFrom: { created: number; batches: number; startedAt: string } | null;
  /** Why `--backfill` would refuse, if it would. */
  wouldRefuse: string | null;
}

export interface VerifyResult extends ChatHealth {
  target: string;
  mode: 'check-only' | 'backfill' | 'dry-run';
  ok: boolean;
  /** --backfill: the state before, for the record. */
  before?: { missingPairs: number; missingBookings: number };
  backfill?: BackfillResult;
  dryRun?: DryRunPlan;
}

export const DEFAULTS = { batchSize: 1000, lockWaitMs: 30_000, sample: 10 };

export async function run(ctx: Context, opts: VerifyOptions): Promise<VerifyResult> {
  if (opts.checkOnly && opts.backfill) throw new UsageError('--check-only and --backfill exclude each other');
  const migrations = await loadMigrations(migrationsDir(opts.migrationsDir));
  const [db, target] = await Promise.all([ctx.db(), ctx.target()]);
  const sample = opts.sample ?? DEFAULTS.sample;
  const mode = !opts.backfill ? 'check-only' : ctx.flags.dryRun ? 'dry-run' : 'backfill';

  if (mode !== 'backfill') {
    const health = await readChatHealth(db, { sample, migrations });
    if (mode === 'check-only') return { target: target.label, mode, ok: health.problems.length === 0, ...health };
    return { target: target.label, mode, ok: health.problems.length === 0, ...health, dryRun: await dryRunPlan(db, health) };
  }

  // The backfill plans for itself (one scan): what was missing before is its plan.
  const refusal = tablesRefusal(await absentTables(db, BACKFILL_TABLES)) ?? backfillRefusal(await readChatObjects(db, migrations));
  if (refusal) throw refusal;

  const lockWait = opts.lockWait ?? DEFAULTS.lockWaitMs;
  const lock = await acquireAdvisoryLock(target, ctx.session, CHAT_BACKFILL_LOCK, {
    waitMs: lockWait,
    onWait: (holder) =>
      ctx.out.info(`waiting up to ${formatDuration(lockWait)} for the chat backfill lock${holder ? `, held by ${describeHolder(holder)}` : ''}`),
    hint: 'another backfill is running: let it finish (it is safe to run again afterwards), or raise --lock-wait',
  });
  const progress = await startProgress(ctx.out, 'backfill');
  let backfill: BackfillResult;
  try {
    const batchSize = opts.batchSize ?? DEFAULTS.batchSize;
    backfill = await runBackfill(db, {
      batchSize,
      pauseMs: opts.pause,
      onStart: (checkpoint, resuming) => {
        if (resuming) {
          ctx.out.info(
            `resuming the backfill started ${new Date(checkpoint.started_at).toISOString()}: ` +
              `${checkpoint.created} room(s) created in ${checkpoint.batches} batch(es) before it stopped; planning what is still missing`,
          );
        }
      },
      onPlan: (p) => ctx.out.debug(`plan: ${p.pairs} pair(s) without a room, ${p.bookings} active booking(s) (${p.ms.toFixed(1)} ms)`),
      onProgress: (p) => progress.update(p.done, p.total),
      onBatch: (b) => ctx.out.debug(`batch ${b.number}: ${b.bookings} booking(s), created ${b.created}, up to ${b.lastKey} (${b.ms.toFixed(1)} ms)`),
    });
    progress.succeed(`backfill: ${backfill.created} room(s) created for ${backfill.planned.bookings} booking(s) in ${backfill.batches} batch(es)`);
  } catch (err) {
    progress.fail('backfill interrupted; run it again to resume');
    throw err;
  } finally {
    progress.stop();
    await lock.release();
  }
  const after = await readChatHealth(db, { sample, migrations });
  return {
    target: target.label,
    mode,
    ok: after.problems.length === 0,
    ...after,
    before: { missingPairs: backfill.planned.pairs, missingBookings: backfill.planned.bookings },
    backfill,
  };
}

/** What `--backfill --dry-run` says: the rooms it would create, the run it would resume, a refusal. */
async function dryRunPlan(db: Knex, health: ChatHealth): Promise<DryRunPlan> {
  const checkpoint = await readCheckpoint(db);
  const resume = checkpoint && !checkpoint.finished_at ? checkpoint : undefined;
  return {
    wouldCreate: { pairs: health.missing.pairs, bookings: health.missing.bookings, sample: health.missing.sample },
    wouldResumeFrom: resume ? { created: Number(resume.created), batches: resume.batches, startedAt: new Date(resume.started_at).toISOString() } : null,
    wouldRefuse: (tablesRefusal(await absentTables(db, BACKFILL_TABLES)) ?? backfillRefusal(health.objects))?.message ?? null,
  };
}

/** What the backfill reads and writes: its plan is chats.missing's query. */
const BACKFILL_TABLES = partTables('missing');

function tablesRefusal(absent: string[]): RefusedError | undefined {
  if (absent.length === 0) return undefined;
  return new RefusedError(`cannot backfill: no table ${absent.join(', ')} (it reads ${BACKFILL_TABLES.join(', ')})`, { details: { absentTables: absent } });
}

/**
 * The backfill needs every chat object as the migrations define it: the function it calls (0006's
 * keyset version takes other arguments), and the triggers and their function first: without them,
 * bookings activated while the backfill runs would be missed again; and the unique key on
 * chat_rooms, the only thing that keeps it and a concurrent trigger or application from both
 * creating one pair's room. Checked before the lock is
 * taken and the checkpoint written, so a refused run leaves nothing to resume.
 */
function backfillRefusal(objects: ChatObjectState[]): RefusedError | undefined {
  const bad = objects.filter((o) => o.state !== 'ok');
  if (bad.length === 0) return undefined;
  const repairs = [...new Set(bad.map((o) => o.repair).filter(Boolean))];
  const why = [
    ...(bad.some((o) => o.kind !== 'key') ? ['the triggers must be in place before the backfill, or bookings activated meanwhile go missing again'] : []),
    ...(bad.some((o) => o.kind === 'key') ? ['without the unique key, the backfill and concurrent writers can create a pair\'s room twice'] : []),
  ];
  return new RefusedError(`cannot backfill: ${bad.map((o) => `${o.kind} ${o.name} ${o.state}`).join(', ')}`, {
    hint: [...repairs, ...why].join('; '),
    details: { objects: bad.map((o) => ({ name: o.name, kind: o.kind, state: o.state, problems: o.problems, repair: o.repair })) },
  });
}

export function render(r: VerifyResult, out: Output): void {
  renderVerify(r, out);
}

export function exitCode(r: VerifyResult): number {
  return r.ok ? EXIT.OK : EXIT.FINDINGS;
}
