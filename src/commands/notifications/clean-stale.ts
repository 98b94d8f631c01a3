/**
 * bookops notifications clean-stale [--slot <id>]: archives and deletes the notification logs that
 * would silence the next candidate (seed 002 P0): the rows of the stale-log rule, which the audit
 * check notifications.stale-logs and migration 0004's preflight read too
 * (src/domain/recruiting/clean-stale-logs.ts).
 */
import { command, option } from '../../cli/define.js';
import { batchSizeOption, sampleOption } from '../../cli/options.js';
import { id } from '../../cli/parsers.js';
import { cleanStaleLogs } from '../../domain/recruiting/clean-stale-logs.js';
import { runDestructive } from '../../io/destructive.js';
import { leftSincePreview, renderDestructive } from '../../io/render-plan.js';
import { asInvoked } from '../../invocation.js';

export default command({
  name: 'clean-stale',
  description:
    "archive and delete notification logs of freed slots, naming another candidate or none, or whose candidate column disagrees with the payload (audit check notifications.stale-logs); " +
    'reads the candidate from the column after migration 0004 and from the JSON payload',
  inputs: {
    slot: option('--slot <id>', 'only the logs of this slot', id),
    batchSize: batchSizeOption(),
    sample: sampleOption(),
  },
  examples: ['bookops notifications clean-stale --dry-run', 'bookops notifications clean-stale --slot 412', 'bookops notifications clean-stale --yes --json --batch-size 10000'],
  notes: `Undo: ${asInvoked('archive restore <operation>')} (printed at the end, and in --json as archiveOperation).`,
  run: (ctx, o) => runDestructive(ctx, cleanStaleLogs, { slotId: o.slot, batchSize: o.batchSize, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res, plan) => [
        `${out.c.green('deleted')} ${res.rows} stale notification log(s) in ${res.batches} batch(es), archived; the next approval of those slots notifies the new candidate${leftSincePreview(plan.count, res.rows)}`,
      ],
    }),
});
