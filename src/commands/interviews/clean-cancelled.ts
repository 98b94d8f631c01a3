/**
 * bookops interviews clean-cancelled: archives and deletes the cancelled interviews that block
 * rebooking their slot under the legacy UNIQUE (time_slot_id) (the rule interviews.cancelled-blocking,
 * src/domain/interviews/clean-cancelled.ts); after migration 0002 nothing blocks and nothing changes.
 */
import { command, option } from '../../cli/define.js';
import { batchSizeOption, sampleOption } from '../../cli/options.js';
import { duration, id } from '../../cli/parsers.js';
import { cleanCancelled } from '../../domain/interviews/clean-cancelled.js';
import { runDestructive } from '../../io/destructive.js';
import { leftSincePreview, renderDestructive } from '../../io/render-plan.js';
import { asInvoked } from '../../invocation.js';

export default command({
  name: 'clean-cancelled',
  description:
    'archive and delete the cancelled interviews that block rebooking their slot under the legacy UNIQUE (time_slot_id) ' +
    '(audit check interviews.cancelled-blocking); on a migrated database nothing blocks, and nothing is changed',
  inputs: {
    slot: option('--slot <id>', 'only this time slot', id),
    olderThan: option('--older-than <duration>', 'only interviews cancelled longer ago than this (e.g. 30d)', duration),
    batchSize: batchSizeOption(),
    sample: sampleOption(),
  },
  examples: ['bookops interviews clean-cancelled --dry-run', 'bookops interviews clean-cancelled --slot 193', 'bookops interviews clean-cancelled --older-than 30d --yes --json'],
  notes: `Undo: ${asInvoked('archive restore <operation>')} (printed at the end, and in --json as archiveOperation).`,
  run: (ctx, o) => runDestructive(ctx, cleanCancelled, { slotId: o.slot, olderThanMs: o.olderThan, batchSize: o.batchSize, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res, plan) => [
        `${out.c.green('deleted')} ${res.rows} cancelled interview(s) in ${res.batches} batch(es), archived; their slots can be booked again${leftSincePreview(plan.count, res.rows)}`,
      ],
    }),
});
