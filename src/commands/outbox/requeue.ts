/** bookops outbox requeue <id...>: named rows back to pending, refused for sent or in-flight ones (src/domain/outbox/requeue.ts). */
import { argument, command, option } from '../../cli/define.js';
import { duration, id, many } from '../../cli/parsers.js';
import { requeueOutbox } from '../../domain/outbox/requeue.js';
import { STUCK_DEFAULTS } from '../../domain/outbox/stats.js';
import { runDestructive } from '../../io/destructive.js';
import { renderDestructive } from '../../io/render-plan.js';
import { asInvoked } from '../../invocation.js';

export default command({
  name: 'requeue',
  description:
    'put outbox rows back to pending (attempts reset, lock and retry time cleared): failed rows, and pending rows not ' +
    'locked or locked longer ago than --locked-for; refuses sent rows and rows a worker holds right now',
  inputs: {
    ids: argument('<id...>', `outbox_notifications ids (see ${asInvoked('outbox stats')})`, many(id)),
    lockedFor: option('--locked-for <duration>', 'a pending row locked longer ago than this may be requeued', duration, STUCK_DEFAULTS.lockedForMs, '15m'),
  },
  examples: ['bookops outbox requeue 1042 --dry-run', 'bookops outbox requeue 1042 1043 1077', 'bookops outbox requeue 1042 --yes --json'],
  notes: 'Exit codes: 0 requeued, 2 not a valid id, 4 not confirmed, 5 an id does not exist, 6 a row was sent or is being sent.',
  run: (ctx, o) => runDestructive(ctx, requeueOutbox, { ids: o.ids, lockedForMs: o.lockedFor }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res) => [
        `${out.c.green('requeued')} ${res.requeued} outbox row(s)${res.requeued < r.plan.ids.length ? ` (${r.plan.ids.length - res.requeued} changed meanwhile and were left alone)` : ''}`,
      ],
    }),
});
