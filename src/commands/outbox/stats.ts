/**
 * bookops outbox stats: rows per status and type, and the counts the outbox repairs act on, by
 * the rules the audit checks and the repairs read (src/domain/outbox/stats.ts). Read-only.
 */
import { command, option } from '../../cli/define.js';
import { duration } from '../../cli/parsers.js';
import { outboxStats, STUCK_DEFAULTS } from '../../domain/outbox/stats.js';

export default command({
  name: 'stats',
  readOnly: true,
  description: 'rows per status and type, and how many duplicate keys, stuck and failed rows there are; read-only',
  inputs: {
    lockedFor: option('--locked-for <duration>', 'a pending row locked longer ago than this is stuck', duration, STUCK_DEFAULTS.lockedForMs, '15m'),
    pendingFor: option('--pending-for <duration>', 'an unlocked pending row older than this is stuck', duration, STUCK_DEFAULTS.pendingForMs, '1h'),
  },
  examples: ['bookops outbox stats', 'bookops outbox stats --json'],
  run: async (ctx, o) => outboxStats(await ctx.db(), { lockedForMs: o.lockedFor, pendingForMs: o.pendingFor }),
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
    line(s.duplicateKeys, `duplicate key(s) (type, booking_id, candidate_tg_id), ${s.duplicateRows} extra row(s)`, 'bookops outbox dedupe');
    line(s.stuck, 'stuck pending row(s)', 'bookops outbox requeue <id...>; ids: bookops audit outbox.stuck');
    line(s.failedWithoutRetry, 'failed row(s) with no retry ahead', 'bookops outbox retry-failed');
  },
});
