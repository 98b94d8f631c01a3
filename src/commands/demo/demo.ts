/**
 * bookops demo: the zero-setup tour. On an empty database (the embedded cluster by default) it
 * applies the legacy baseline and seeds the demo data; on a demo database it shows it again;
 * anything else it refuses to touch. `demo seed` is the seeding alone, for a database you prepared.
 */
import { command, option, flag } from '../../cli/define.js';
import { integer } from '../../cli/parsers.js';
import { nextSteps, type NextStep } from '../../demo/next-steps.js';
import { MAX_SCALE, MIN_SCALE } from '../../demo/plan.js';
import { recreateDatabase } from '../../demo/reset.js';
import { demoState } from '../../demo/state.js';
import type { SeedReport } from '../../demo/types.js';
import { RefusedError } from '../../errors.js';
import { asInvoked, hintsNameTarget, invokedAs } from '../../invocation.js';
import { confirmAction } from '../../io/prompts.js';
import { baselineWithProgress, seedWithProgress } from '../../io/seed-progress.js';
import { renderNext, renderPlanted, renderRows } from './render.js';
import seed from './seed.js';

export const DEFAULT_SCALE = 1000;

export interface DemoResult {
  target: string;
  /** The embedded cluster (else a --db, DATABASE_URL or PG* target). */
  embedded: boolean;
  /** created: seeded by this run; existing: already a demo database, nothing changed; dry-run. */
  status: 'created' | 'existing' | 'dry-run';
  reset: boolean;
  /** Migrations this run applied (the legacy baseline on an empty database). */
  applied: string[];
  /** With --dry-run: what a real run would do. */
  actions?: string[];
  seededAt?: string;
  report?: SeedReport;
  next: NextStep[];
}

/** 2026-11-22 04:58 UTC */
function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export default command({
  name: 'demo',
  inputs: {
    scale: option('--scale <n>', 'rows per module main table when seeding (default 1000)', integer(MIN_SCALE, MAX_SCALE)),
    reset: flag('--reset', 'drop and recreate the demo database first (embedded cluster only; asks, or --yes)'),
  },
  examples: ['bookops demo', 'bookops demo --json', 'bookops demo --reset --yes --scale 20000', 'bookops --db postgres://me@localhost/empty_db demo'],
  subcommands: [seed],
  // demo and demo seed both take --scale, and commander hands the options after `demo seed`
  // to demo first (global options must keep working after the subcommand): pass it on.
  configure: (demo) =>
    demo.hook('preSubcommand', (parent, sub) => {
      if (parent.getOptionValueSource('scale') !== 'cli') return;
      sub.setOptionValueWithSource('scale', parent.getOptionValue('scale'), 'cli');
      parent.setOptionValueWithSource('scale', undefined, 'default');
    }),
  run: async (ctx, o): Promise<DemoResult> => {
    const target = await ctx.target();
    const embedded = target.source === 'embedded';
    const scale = o.scale ?? DEFAULT_SCALE;
    const base = { target: target.label, embedded, reset: Boolean(o.reset), applied: [] as string[], next: [] as NextStep[] };
    if (o.reset) {
      if (!embedded) {
        throw new RefusedError(`--reset drops and recreates the database; bookops does that only on its embedded cluster, not on ${target.label}`, {
          hint: `drop and recreate that database yourself, or run ${invokedAs()} demo without --db`,
        });
      }
      if (ctx.flags.dryRun) {
        return { ...base, status: 'dry-run', actions: [`drop and recreate the database ${target.spec.database}`, 'apply the legacy baseline', `seed at scale ${scale}`] };
      }
      await confirmAction(ctx, { action: `drop and recreate the demo database ${target.spec.database} on ${target.label}` });
      await recreateDatabase(target, ctx.session);
      ctx.out.info(`dropped and recreated ${target.label}`);
    }

    const state = await demoState(await ctx.db());
    if (state.kind === 'demo') {
      const { report, seededAt } = state.stored;
      if (o.scale !== undefined && o.scale !== report.scale && !ctx.flags.json) {
        ctx.out.info(
          `the demo data was seeded at scale ${report.scale}; ` +
            (embedded ? `to reseed at ${o.scale}: ${asInvoked(`demo --reset --scale ${o.scale}`)}` : `--scale ${o.scale} applies to an empty database only`),
        );
      }
      return { ...base, status: 'existing', seededAt, report, next: nextSteps(report, { embedded }) };
    }
    if (state.kind === 'foreign') {
      throw new RefusedError(`${target.label} is not empty and is not a bookops demo database: ${state.reason}; demo never writes into it`, {
        hint: embedded ? `start over with: ${asInvoked('demo --reset')}` : `point --db at an empty database, or run ${invokedAs()} demo without --db`,
      });
    }
    if (ctx.flags.dryRun) {
      const actions = [...(state.kind === 'empty' ? ['apply the legacy baseline (0001)'] : []), `seed at scale ${scale}`];
      return { ...base, status: 'dry-run', actions };
    }
    if (state.kind === 'empty') base.applied = await baselineWithProgress(ctx, target.label);
    const report = await seedWithProgress(ctx, scale, target.label);
    return { ...base, status: 'created', seededAt: report.seededAt, report, next: nextSteps(report, { embedded }) };
  },
  render: (r, out) => {
    if (r.status === 'dry-run') {
      out.print(`bookops demo on ${r.target} would:`);
      for (const a of r.actions ?? []) out.print(`  - ${a}`);
      out.print('--dry-run changed nothing');
      return;
    }
    const report = r.report!;
    if (r.status === 'existing') {
      out.print(`bookops demo is already set up on ${r.target}: seeded ${when(r.seededAt!)} at scale ${report.scale}; nothing was changed.`);
      out.print(`  the counts below are as planted then; ${asInvoked('audit')} shows what is there now`);
    } else {
      out.print(`bookops demo on ${r.target}${r.reset ? ' (reset)' : ''}`);
      if (r.applied.length) out.print(`  applied ${r.applied.join(', ')}: the schema as production has it today, defects included`);
      else out.print('  the platform schema was already in place, with empty tables');
      out.print(`  seeded scale ${report.scale} in ${report.seconds} s: ${renderRows(report)}`);
    }
    out.print('');
    out.print(out.c.bold('Planted defects by module'));
    renderPlanted(report, out);
    out.print('');
    // A run on --db names it in each command; DATABASE_URL and PG* must still be set when pasted.
    renderNext(r.next, out, r.embedded || hintsNameTarget() ? undefined : '(with the same DATABASE_URL or PG* settings as this run)');
  },
});
