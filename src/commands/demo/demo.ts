import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { confirmAction } from '../../cli/prompts.js';
import { nextSteps, type NextStep } from '../../demo/next-steps.js';
import { recreateDatabase } from '../../demo/reset.js';
import { demoState } from '../../demo/state.js';
import type { SeedReport } from '../../demo/types.js';
import { RefusedError } from '../../errors.js';
import { migrateUp } from '../../migrate/runner.js';
import { runnerDeps } from '../migrate/deps.js';
import { renderNext, renderPlanted, renderRows } from './render.js';
import { seedWithProgress } from './seed.js';

export const DEFAULT_SCALE = 1000;

export interface DemoOptions {
  scale?: number;
  reset?: boolean;
}

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

export async function run(ctx: Context, opts: DemoOptions): Promise<DemoResult> {
  const target = await ctx.target();
  const embedded = target.source === 'embedded';
  const scale = opts.scale ?? DEFAULT_SCALE;
  const base = { target: target.label, embedded, reset: Boolean(opts.reset), applied: [] as string[], next: [] as NextStep[] };
  if (opts.reset) {
    if (!embedded) {
      throw new RefusedError(`--reset drops and recreates the database; bookops does that only on its embedded cluster, not on ${target.label}`, {
        hint: 'drop and recreate that database yourself, or run bookops demo without --db',
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
    if (opts.scale !== undefined && opts.scale !== report.scale && !ctx.flags.json) {
      ctx.out.info(
        `the demo data was seeded at scale ${report.scale}; ` +
          (embedded ? `to reseed at ${opts.scale}: bookops demo --reset --scale ${opts.scale}` : `--scale ${opts.scale} applies to an empty database only`),
      );
    }
    return { ...base, status: 'existing', seededAt, report, next: nextSteps(report, { embedded }) };
  }
  if (state.kind === 'foreign') {
    throw new RefusedError(`${target.label} is not empty and is not a bookops demo database: ${state.reason}; demo never writes into it`, {
      hint: embedded ? 'start over with: bookops demo --reset' : 'point --db at an empty database, or run bookops demo without --db',
    });
  }
  if (ctx.flags.dryRun) {
    const actions = [...(state.kind === 'empty' ? ['apply the legacy baseline (0001)'] : []), `seed at scale ${scale}`];
    return { ...base, status: 'dry-run', actions };
  }
  if (state.kind === 'empty') {
    const applied = await migrateUp(await runnerDeps(ctx, {}), { to: '0001' });
    base.applied = applied.map((m) => m.name);
  }
  const report = await seedWithProgress(ctx, scale, target.label);
  return { ...base, status: 'created', seededAt: report.seededAt, report, next: nextSteps(report, { embedded }) };
}

/** 2026-11-22 04:58 UTC */
function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function render(r: DemoResult, out: Output): void {
  if (r.status === 'dry-run') {
    out.print(`bookops demo on ${r.target} would:`);
    for (const a of r.actions ?? []) out.print(`  - ${a}`);
    out.print('--dry-run changed nothing');
    return;
  }
  const report = r.report!;
  if (r.status === 'existing') {
    out.print(`bookops demo is already set up on ${r.target}: seeded ${when(r.seededAt!)} at scale ${report.scale}; nothing was changed.`);
    out.print('  the counts below are as planted then; bookops audit shows what is there now');
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
  renderNext(r.next, out, r.embedded ? undefined : '(with the same --db, DATABASE_URL or PG* settings as this run)');
}
