/** bookops migrate plan: the exact SQL `migrate up` would run here, as one reviewable script; changes nothing. */
import { command, option } from '../../cli/define.js';
import { migrationsDirOption } from '../../cli/options.js';
import { planSummary, renderPlan, upPlan } from '../../io/migrate-plan.js';

export default command({
  name: 'plan',
  readOnly: true,
  description: 'print the exact SQL `migrate up` would run against this database; changes nothing',
  inputs: {
    to: option('--to <migration>', 'stop after this migration (name or number)'),
    migrationsDir: migrationsDirOption(),
  },
  examples: ['bookops migrate plan', 'bookops migrate plan --to 0001 --json', 'bookops migrate plan | squawk'],
  run: (ctx, o) => upPlan(ctx, o),
  render: (r, out) => renderPlan(r, out),
  summary: (r) => planSummary(r),
});
