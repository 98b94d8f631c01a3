/** bookops outbox retry-failed [--type]: failed rows with no retry ahead back to pending (src/domain/outbox/retry-failed.ts). */
import { command, option } from '../../cli/define.js';
import { batchSizeOption, sampleOption } from '../../cli/options.js';
import { nonEmpty } from '../../cli/parsers.js';
import { retryFailed } from '../../domain/outbox/retry-failed.js';
import { runDestructive } from '../../io/destructive.js';
import { leftSincePreview, renderDestructive } from '../../io/render-plan.js';

export default command({
  name: 'retry-failed',
  description: 'put every failed row with no retry scheduled ahead back to pending (audit check outbox.failed)',
  inputs: {
    type: option('--type <type>', 'only rows of this type (e.g. candidate_rejection)', nonEmpty),
    batchSize: batchSizeOption(),
    sample: sampleOption(),
  },
  examples: ['bookops outbox retry-failed --dry-run', 'bookops outbox retry-failed --type candidate_rejection', 'bookops outbox retry-failed --yes --json'],
  run: (ctx, o) => runDestructive(ctx, retryFailed, { type: o.type, batchSize: o.batchSize, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res, plan) => [
        `${out.c.green('requeued')} ${res.rows} failed outbox row(s) in ${res.batches} batch(es), archived; the worker picks them up now${leftSincePreview(plan.count, res.rows)}`,
      ],
    }),
});
