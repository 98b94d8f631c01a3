/** bookops outbox dedupe: one row per key, the rest archived away (src/domain/outbox/dedupe.ts). */
import { command } from '../../cli/define.js';
import { batchSizeOption, sampleOption } from '../../cli/options.js';
import { dedupeOutbox } from '../../domain/outbox/dedupe.js';
import { runDestructive } from '../../io/destructive.js';
import { renderDestructive } from '../../io/render-plan.js';

export default command({
  name: 'dedupe',
  description:
    'keep one row per key (type, booking_id, candidate_tg_id), NULLs equal: a sent row, else a pending one, else a failed ' +
    'one, the oldest within a status; archive and delete the others',
  inputs: { batchSize: batchSizeOption(), sample: sampleOption() },
  examples: ['bookops outbox dedupe --dry-run', 'bookops outbox dedupe', 'bookops outbox dedupe --yes --json'],
  run: (ctx, o) => runDestructive(ctx, dedupeOutbox, { batchSize: o.batchSize, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      details: (plan) => [`rule: ${plan.rule}`],
      done: (res) => [`${out.c.green('deleted')} ${res.rows} duplicate outbox row(s) of ${r.plan.keys} key(s) in ${res.batches} batch(es), archived`],
    }),
});
