/** bookops migrate baseline: record the legacy baseline as applied where the production tables already exist. */
import { command } from '../../cli/define.js';
import { lockWaitOption, migrationsDirOption } from '../../cli/options.js';
import { runnerDeps } from '../../io/runner-deps.js';
import { migrateBaseline } from '../../migrate/runner.js';
import { asInvoked } from '../../invocation.js';

export interface BaselineResult {
  target: string;
  /** The baseline recorded as applied (with --dry-run: the one that would be). */
  recorded: string;
  modules: string[];
  dryRun: boolean;
}

export default command({
  name: 'baseline',
  description: 'record the legacy baseline as applied on a database that already has the production tables',
  inputs: {
    lockWait: lockWaitOption(),
    migrationsDir: migrationsDirOption(),
  },
  examples: ['bookops --db "$PROD_URL" migrate baseline', 'bookops migrate baseline --json'],
  run: async (ctx, o): Promise<BaselineResult> => {
    const deps = await runnerDeps(ctx, o);
    // --dry-run makes every check a real run makes (refusals included) and records nothing.
    const { name, modules } = await migrateBaseline(deps, { dryRun: ctx.flags.dryRun });
    return { target: deps.target.label, recorded: name, modules, dryRun: ctx.flags.dryRun };
  },
  render: (r, out) => {
    const present = `modules present: ${r.modules.join(', ') || 'none complete'}`;
    if (r.dryRun) {
      out.print(`would record ${r.recorded} as applied on ${r.target} (${present}); --dry-run changed nothing`);
      return;
    }
    out.print(`recorded ${r.recorded} as applied on ${r.target} (${present})`);
    out.print(`next: ${asInvoked('migrate plan')}`);
  },
});
