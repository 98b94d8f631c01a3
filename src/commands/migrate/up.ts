/** bookops migrate up: apply pending migrations in order, under the migration lock; --dry-run prints the plan instead. */
import { command, option, flag } from '../../cli/define.js';
import { lockWaitOption, migrationsDirOption, retriesOption } from '../../cli/options.js';
import { renderPlan, upPlan, type PlanResult } from '../../io/migrate-plan.js';
import { runnerDeps } from '../../io/runner-deps.js';
import { findMigration } from '../../migrate/migration-file.js';
import { migrateUp, type MigrationRun } from '../../migrate/runner.js';
import { pendingUpTo, readApplied } from '../../migrate/state.js';

export type UpResult =
  | { dryRun: true; plan: PlanResult }
  | { dryRun: false; target: string; applied: MigrationRun[]; to?: string; pendingAfter: number };

export default command({
  name: 'up',
  description: 'apply pending migrations in order (--dry-run prints the plan instead)',
  inputs: {
    to: option('--to <migration>', 'stop after this migration (name or number)'),
    lockWait: lockWaitOption(),
    retries: retriesOption(),
    allowChanged: flag('--allow-changed', 'run even though applied migrations were edited since'),
    migrationsDir: migrationsDirOption(),
  },
  examples: ['bookops migrate up', 'bookops migrate up --to 0001_legacy_baseline', 'bookops migrate up --dry-run'],
  run: async (ctx, o): Promise<UpResult> => {
    if (ctx.flags.dryRun) return { dryRun: true, plan: await upPlan(ctx, o) };
    const deps = await runnerDeps(ctx, o);
    const applied = await migrateUp(deps, { to: o.to, allowChanged: o.allowChanged });
    // With --to, later migrations may still be pending: "up to date" would be untrue.
    const pendingAfter = o.to ? pendingUpTo(deps.migrations, await readApplied(deps.db)).length : 0;
    const to = o.to ? findMigration(deps.migrations, o.to).name : undefined;
    return { dryRun: false, target: deps.target.label, applied, ...(to ? { to } : {}), pendingAfter };
  },
  render: (r, out) => {
    if (r.dryRun) return renderPlan(r.plan, out);
    const later = r.pendingAfter ? ` (${r.pendingAfter} later migration(s) pending)` : '';
    if (r.applied.length === 0) {
      return out.print(r.to ? `nothing to apply on ${r.target} up to ${r.to}: it is applied${later}` : `nothing to apply on ${r.target}: up to date`);
    }
    for (const m of r.applied) {
      out.print(m.skipped ? `${out.c.dim('skipped')} ${m.name}: ${m.skipped} (recorded; up applies it once the tables exist)` : `${out.c.green('applied')} ${m.name} (${m.ms} ms)`);
    }
    const skipped = r.applied.filter((m) => m.skipped).length;
    out.print(`${r.applied.length - skipped} migration(s) applied${skipped ? `, ${skipped} skipped` : ''} on ${r.target}${later}`);
  },
});
