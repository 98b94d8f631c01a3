/** bookops migrate plan: the exact SQL `migrate up` would run here, as one reviewable script; changes nothing. */
import { command, flag, option } from '../../cli/define.js';
import { migrationsDirOption } from '../../cli/options.js';
import { EXIT } from '../../exit-codes.js';
import { planSummary, renderPlan, upPlan } from '../../io/migrate-plan.js';

export default command({
  name: 'plan',
  readOnly: true,
  description: 'print the exact SQL `migrate up` would run against this database; changes nothing',
  inputs: {
    to: option('--to <migration>', 'stop after this migration (name or number)'),
    check: flag('--check', 'exit 4 when migrate up would refuse (a preflight finds rows, applied files changed, no baseline): a CI gate'),
    allowChanged: flag('--allow-changed', 'plan as migrate up --allow-changed would run: edited applied migrations do not count as a refusal'),
    migrationsDir: migrationsDirOption(),
  },
  examples: ['bookops migrate plan', 'bookops migrate plan --to 0001 --json', 'bookops migrate plan | squawk', 'bookops migrate plan --check > plan.sql'],
  notes: 'Exit codes: 0 planned (with --check: and migrate up would run), 4 with --check when migrate up would refuse (the reasons on stderr, and as wouldRefuse in --json).',
  run: (ctx, o) => upPlan(ctx, o),
  exitCode: (r, o) => (o.check && r.wouldRefuse.length ? EXIT.REFUSED : EXIT.OK),
  render: (r, out) => renderPlan(r, out),
  summary: (r) => planSummary(r),
});
