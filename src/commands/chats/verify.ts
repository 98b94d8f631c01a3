/**
 * bookops chats verify: the chat trigger, functions and room key as the migrations define them,
 * and that every active booking has its room (exit 1 if not); --backfill creates the missing
 * rooms in committed, resumable batches under an advisory lock (src/chats/backfill.ts).
 */
import { command, flag, option, type Input } from '../../cli/define.js';
import { batchSizeOption, formatOption, lockWaitOption, migrationsDirOption } from '../../cli/options.js';
import { duration, integer } from '../../cli/parsers.js';
import { backfillRefusal, backfillUnderLock, resumable, type BackfillResult, type BackfillRun } from '../../chats/backfill.js';
import { HEALTH_PARTS, readChatHealth, readChatObjects, type ChatHealth, type HealthPart } from '../../chats/health.js';
import { formatDuration } from '../../config/duration.js';
import { InterruptedError, UsageError } from '../../errors.js';
import { asInvoked } from '../../invocation.js';
import { EXIT } from '../../exit-codes.js';
import type { Context } from '../../io/context.js';
import { startProgress } from '../../io/progress.js';
import { loadMigrations } from '../../migrate/migration-file.js';
import { migrationsDir } from '../../paths.js';
import { formatRow } from '../../migrate/preflight.js';
import type { Output } from '../../io/output.js';

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

const inputs = {
  checkOnly: flag('--check-only', 'only report (the default)'),
  backfill: flag('--backfill', 'create the missing rooms in committed batches; resumable, serialised, never a duplicate (--dry-run: show them)'),
  batchSize: batchSizeOption('planned bookings per batch (one short transaction each)', 1_000_000, 1000),
  pause: option('--pause <duration>', 'sleep between batches, to spare replicas and the application', duration),
  lockWait: lockWaitOption('wait this long for another backfill to finish before refusing (exit 4)', 30_000, '30s'),
  sample: option('--sample <n>', 'pairs shown per finding', integer(1, 1000), 10),
  format: formatOption(),
  migrationsDir: migrationsDirOption('migrations folder the objects are compared with (default: the one shipped with bookops)'),
};

async function verify(ctx: Context, o: Input<typeof inputs>): Promise<VerifyResult> {
  if (o.checkOnly && o.backfill) throw new UsageError('--check-only and --backfill exclude each other');
  const migrations = await loadMigrations(migrationsDir(o.migrationsDir));
  const [db, target] = await Promise.all([ctx.db(), ctx.target()]);
  const mode = !o.backfill ? 'check-only' : ctx.flags.dryRun ? 'dry-run' : 'backfill';

  if (mode !== 'backfill') {
    const health = await readChatHealth(db, { sample: o.sample, migrations });
    const result: VerifyResult = { target: target.label, mode, ok: health.problems.length === 0, ...health };
    if (mode === 'check-only') return result;
    const refusal = await backfillRefusal(db, health.objects);
    const dryRun = {
      wouldCreate: { pairs: health.missing.pairs, bookings: health.missing.bookings, sample: health.missing.sample },
      wouldResumeFrom: await resumable(db),
      wouldRefuse: refusal?.message ?? null,
    };
    return { ...result, dryRun };
  }

  // The backfill plans for itself (one scan): what was missing before is its plan.
  const refusal = await backfillRefusal(db, await readChatObjects(db, migrations));
  if (refusal) throw refusal;
  const progress = await startProgress(ctx.out, 'creating missing chat rooms', 'bookings');
  // What this run has committed so far: after Ctrl-C or SIGTERM it is said, as by every batched repair.
  const committed = { rooms: 0, batches: 0 };
  let run: BackfillRun;
  try {
    run = await backfillUnderLock(
      db,
      {
        target,
        session: ctx.session,
        waitMs: o.lockWait,
        onWait: (holder) => ctx.out.info(`waiting up to ${formatDuration(o.lockWait)} for the chat backfill lock${holder ? `, held by ${holder}` : ''}`),
      },
      {
        batchSize: o.batchSize,
        pauseMs: o.pause,
        onStart: (checkpoint, resuming) => {
          if (resuming) {
            ctx.out.info(
              `resuming the backfill started ${new Date(checkpoint.started_at).toISOString()}: ` +
                `${checkpoint.created} room(s) created in ${checkpoint.batches} batch(es) before it stopped; planning what is still missing`,
            );
          }
        },
        onPlan: (p) => ctx.out.debug(`plan: ${p.pairs} pair(s) without a room, ${p.bookings} active booking(s) (${p.ms.toFixed(1)} ms)`),
        onProgress: (p) => {
          committed.rooms = p.created;
          committed.batches = p.batches;
          progress.update(p.done, p.total);
        },
        // After Ctrl-C or SIGTERM no further batch starts (a pause between batches included).
        checkStop: () => ctx.checkInterrupted(),
        onBatch: (b) => ctx.out.debug(`batch ${b.number}: ${b.bookings} booking(s), created ${b.created}, up to ${b.lastKey} (${b.ms.toFixed(1)} ms)`),
      },
    );
    const backfill = run.result;
    progress.succeed(`backfill: ${backfill.created} room(s) created for ${backfill.planned.bookings} booking(s) in ${backfill.batches} batch(es)`);
  } catch (err) {
    progress.fail('backfill interrupted; run it again to resume');
    if (ctx.interruptedBy) {
      throw new InterruptedError(
        `interrupted by ${ctx.interruptedBy}: the backfill stopped; already committed: ${committed.rooms} room(s) in ${committed.batches} batch(es) of this run ` +
          // Stopped by checkStop between batches, or by the cancel of the statement in progress.
          `(${err instanceof InterruptedError ? 'no further batch was started' : 'the statement in progress was cancelled and its transaction rolled back'}); ` +
          `${asInvoked('chats verify --backfill')} resumes where it stopped`,
        { signal: ctx.interruptedBy, details: { committedRooms: committed.rooms, committedBatches: committed.batches } },
      );
    }
    throw err;
  } finally {
    progress.stop();
  }
  // Re-checked only where the backfill could have changed something (AfterBackfill).
  const backfill = run.result;
  const after = await readChatHealth(db, { sample: o.sample, migrations, afterBackfill: { plannedBookingIds: run.plannedBookingIds } });
  return {
    target: target.label,
    mode,
    ok: after.problems.length === 0,
    ...after,
    before: { missingPairs: backfill.planned.pairs, missingBookings: backfill.planned.bookings },
    backfill,
  };
}

/** `chats verify` for people: objects, then pairs, then what the backfill did or would do. */
const SHOWN_ROWS = 5;

function renderVerify(r: VerifyResult, out: Output): void {
  out.print(`chat rooms on ${r.target} (${r.mode})`);
  if (r.objects.length) {
    out.print(
      out.table(
        ['object', 'name', 'state', 'details'],
        r.objects.map((o) => [
          o.kind,
          o.name,
          o.state === 'ok' ? out.c.green(o.kind === 'trigger' ? 'ok, enabled' : 'ok') : out.c.red(o.state),
          // The repair is printed once, on the object's problem line below.
          [...o.problems, ...o.notes].join('; '),
        ]),
      ),
    );
  }
  const section = (part: HealthPart, count: number, rows: Array<Record<string, unknown>>, extra = '') => {
    const label = HEALTH_PARTS[part].label;
    const skipped = r.notChecked.find((n) => n.part === part);
    if (skipped) {
      out.print(`${label}: ${out.c.red(`not checked (no table ${skipped.absentTables.join(', ')})`)}`);
      return;
    }
    out.print(`${label}: ${count === 0 ? out.c.green('0') : out.c.red(String(count))}${extra}`);
    for (const row of rows.slice(0, count ? SHOWN_ROWS : 0)) out.print(`  ${formatRow(row)}`);
    if (count > SHOWN_ROWS) out.print(out.c.dim(`  ... ${count - SHOWN_ROWS} more (--json, --sample N)`));
  };
  // Nothing at all to show when the module is absent: the problem line says so.
  if (r.notChecked.length < Object.keys(HEALTH_PARTS).length) {
    section('missing', r.missing.pairs, r.missing.sample, r.missing.bookings ? ` (${r.missing.bookings} booking(s))` : '');
    section('blockedByDeleted', r.blockedByDeleted.pairs, r.blockedByDeleted.sample);
    section('duplicates', r.duplicates.pairs, r.duplicates.sample);
  }
  if (r.backfill) {
    const b = r.backfill;
    if (b.resumedFrom) {
      out.print(`resumed the run started ${b.resumedFrom.startedAt} (${b.resumedFrom.created} room(s) created before the interruption)`);
    }
    out.print(`backfill: created ${b.created} room(s) for ${b.planned.bookings} booking(s) of ${b.planned.pairs} pair(s) in ${b.batches} batch(es), ${formatDuration(b.ms)}`);
    if (r.before) out.print(`before: ${r.before.missingPairs} pair(s) missing a room; now: ${r.missing.pairs}`);
    const re = r.recheckedAfterBackfill;
    if (re) out.print(out.c.dim(`re-checked: missing ${re.missing}${re.duplicates ? `; duplicates: ${re.duplicates}` : ''}`));
  }
  if (r.dryRun) {
    const d = r.dryRun;
    out.print(`dry run: --backfill would create ${d.wouldCreate.pairs} room(s) (for ${d.wouldCreate.bookings} active booking(s)); nothing was changed`);
    if (d.wouldResumeFrom) out.print(`it would resume the run started ${d.wouldResumeFrom.startedAt} (${d.wouldResumeFrom.created} room(s) created before it stopped)`);
    if (d.wouldRefuse) out.print(out.c.red(`it would refuse: ${d.wouldRefuse}`));
  }
  if (r.ok) out.print(out.c.green('ok: every active booking has its chat room'));
  else for (const p of r.problems) out.print(out.c.red(`problem: ${p}`));
}

export default command({
  name: 'verify',
  // Only --backfill writes: the check runs on a hot standby.
  readOnly: (o) => !o.backfill,
  description: 'check the chat trigger and functions and that every active booking has its room (exit 1 if not); --backfill creates the missing rooms',
  inputs,
  examples: [
    'bookops chats verify',
    'bookops chats verify --json | jq .missing',
    'bookops chats verify --backfill --dry-run',
    'bookops chats verify --backfill --batch-size 5000 --pause 100ms',
  ],
  notes:
    'Exit codes: 0 all good, 1 something is missing, wrong or not checkable (a table absent), 4 backfill refused (an object missing, disabled or different, a table absent, lock held).',
  run: verify,
  render: (r, out) => renderVerify(r, out),
  exitCode: (r) => (r.ok ? EXIT.OK : EXIT.FINDINGS),
  summary: (r) => (r.ok ? 'ok: every active booking has its chat room' : `${r.problems.length} problem(s): ${r.missing.pairs} pair(s) missing a room`),
});
