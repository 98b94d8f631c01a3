/**
 * bookops outbox stats: rows per status and type, and the counts the outbox repairs act on, by
 * the rules the audit checks and the repairs read (src/domain/outbox/stats.ts). Read-only.
 */
import { command, option } from '../../cli/define.js';
import { formatOption, sampleOption } from '../../cli/options.js';
import { duration } from '../../cli/parsers.js';
import { outboxStats, STUCK_DEFAULTS } from '../../domain/outbox/stats.js';
import { asInvoked } from '../../invocation.js';

export default command({
  name: 'stats',
  readOnly: true,
  description: 'rows per status and type, and how many duplicate keys, stuck and failed rows there are; read-only',
  inputs: {
    format: formatOption(),
    lockedFor: option('--locked-for <duration>', 'a pending row locked longer ago than this is stuck', duration, STUCK_DEFAULTS.lockedForMs, '15m'),
    pendingFor: option('--pending-for <duration>', 'an unlocked pending row older than this is stuck', duration, STUCK_DEFAULTS.pendingForMs, '1h'),
    sample: sampleOption('ids listed per count (lowest first)'),
  },
  examples: ['bookops outbox stats', 'bookops outbox stats --json', 'bookops outbox stats --sample 1000 --json | jq .ids.stuck'],
  run: async (ctx, o) => outboxStats(await ctx.db(), { lockedForMs: o.lockedFor, pendingForMs: o.pendingFor }, o.sample),
  render: (s, out) => {
    const statuses = Object.keys(s.byStatus).sort();
    out.print(`outbox_notifications: ${s.total} row(s)`);
    if (s.total > 0) {
      out.print(
        out.table(
          ['type', ...statuses, 'total'],
          [
            ...Object.keys(s.byType)
              .sort()
              .map((type) => [type, ...statuses.map((st) => s.byTypeAndStatus[type][st] ?? 0), s.byType[type]]),
            ['total', ...statuses.map((st) => s.byStatus[st]), s.total],
          ],
        ),
      );
    }
    const line = (n: number, what: string, fix: string) => out.print(`${n > 0 ? out.c.yellow(String(n)) : n} ${what}${n > 0 ? ` (${fix})` : ''}`);
    // The ids it counts, the first --sample of them: "12, 14 and 3 more".
    const listed = (ids: number[], n: number) => (n === 0 ? '' : `: ${ids.length ? ids.join(', ') : 'ids not listed (--sample 0)'}${n > ids.length && ids.length ? ` and ${n - ids.length} more` : ''}`);
    line(s.duplicateKeys, `duplicate key(s) (type, booking_id, candidate_tg_id), ${s.duplicateRows} extra row(s)${listed(s.ids.duplicateRows, s.duplicateRows)}`, asInvoked('outbox dedupe'));
    // The whole requeue command when every stuck id is listed; else it names the first ones.
    const requeue = s.stuck > s.ids.stuck.length || s.ids.stuck.length === 0 ? '<id...>' : s.ids.stuck.join(' ');
    line(s.stuck, `stuck pending row(s)${listed(s.ids.stuck, s.stuck)}`, asInvoked(`outbox requeue ${requeue}`));
    line(s.failedWithoutRetry, `failed row(s) with no retry ahead${listed(s.ids.failedWithoutRetry, s.failedWithoutRetry)}`, asInvoked('outbox retry-failed'));
  },
});
