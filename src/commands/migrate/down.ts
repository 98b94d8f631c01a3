/**
 * bookops migrate down: revert the newest migration, or every one applied after --to (which stays
 * applied). --dry-run prints the down SQL rendered against the catalog now.
 */
import { command, option, flag } from '../../cli/define.js';
import { lockWaitOption, migrationsDirOption, retriesOption } from '../../cli/options.js';
import { confirmAction } from '../../io/prompts.js';
import { runnerDeps } from '../../io/runner-deps.js';
import { settingsModeOf } from '../../data/connect.js';
import { planDown, planToSql } from '../../migrate/plan.js';
import { refuseOnAnyPreflight, type PreflightResult } from '../../migrate/preflight.js';
import { migrateDown, revertList, type MigrationRun } from '../../migrate/runner.js';
import { readApplied } from '../../migrate/state.js';

export interface DownResult {
  target: string;
  dryRun: boolean;
  /** What would be reverted, newest first, with the down SQL rendered against the catalog now (--dry-run). */
  wouldRevert: Array<{ name: string; sql: string[]; preflight?: PreflightResult }>;
  /** --dry-run: the same as one script. */
  sql?: string;
  reverted: MigrationRun[];
}

export default command({
  name: 'down',
  description: 'revert the newest migration, or every migration applied after --to (which stays applied)',
  inputs: {
    to: option('--to <migration>', 'revert down to this migration, keeping it'),
    lockWait: lockWaitOption(),
    retries: retriesOption(),
    allowChanged: flag('--allow-changed', 'run even though applied migrations were edited since'),
    migrationsDir: migrationsDirOption(),
  },
  examples: ['bookops migrate down --dry-run', 'bookops migrate down --yes', 'bookops migrate down --to 0001 --yes'],
  run: async (ctx, o): Promise<DownResult> => {
    const deps = await runnerDeps(ctx, o);
    const applied = await readApplied(deps.db);
    const candidates = revertList(deps.migrations, applied, o.to);
    const plan = await planDown(deps.db, candidates, applied);
    const wouldRevert = plan.migrations.map((m) => ({ name: m.name, sql: m.statements.map((s) => s.sql), preflight: m.preflight }));
    if (ctx.flags.dryRun || candidates.length === 0) {
      const sql = ctx.flags.dryRun && candidates.length ? planToSql(plan, ctx.session, deps.target.label, settingsModeOf(deps.db)) : undefined;
      return { target: deps.target.label, dryRun: ctx.flags.dryRun, wouldRevert, sql, reverted: [] };
    }
    // Refused before the question: confirming a revert that cannot run would be asked for nothing.
    // The plan ran every down-preflight; only those that found rows are asked again, for the message.
    const failing = candidates.filter((m) => plan.migrations.find((p) => p.name === m.name)?.preflight?.violations);
    await refuseOnAnyPreflight(deps.db, failing, 'down');
    await confirmAction(ctx, {
      action: `revert ${candidates.length} migration(s) on ${deps.target.label}: ${candidates.map((m) => m.name).join(', ')}`,
    });
    const reverted = await migrateDown(deps, { to: o.to, allowChanged: o.allowChanged });
    return { target: deps.target.label, dryRun: false, wouldRevert, reverted };
  },
  render: (r, out) => {
    if (r.dryRun) {
      if (r.wouldRevert.length === 0) return out.print(`nothing to revert on ${r.target}`);
      out.printSql(r.sql ?? '');
      for (const m of r.wouldRevert.filter((x) => x.preflight?.violations)) {
        out.warn(`${m.name}: down-preflight finds ${m.preflight!.violations} row(s); migrate down will refuse`);
      }
      return;
    }
    if (r.reverted.length === 0) return out.print(`nothing to revert on ${r.target}`);
    for (const m of r.reverted) {
      out.print(m.skipped ? `${out.c.dim('unrecorded')} ${m.name}: ${m.skipped}` : `${out.c.yellow('reverted')} ${m.name} (${m.ms} ms)`);
    }
  },
});
