/** `chats verify` for people: objects, then pairs, then what the backfill did or would do. */
import type { Output } from '../../cli/output.js';
import { formatDuration } from '../../config/duration.js';
import { HEALTH_PARTS, type HealthPart } from '../../audit/chats/health.js';
import { formatRow } from '../../migrate/preflight.js';
import type { VerifyResult } from './verify.js';

const SHOWN_ROWS = 5;

export function renderVerify(r: VerifyResult, out: Output): void {
  out.print(`chat rooms on ${r.target} (${r.mode})`);
  if (r.objects.length) {
    out.print(
      out.table(
        ['object', 'name', 'state', 'details'],
        r.objects.map((o) => [
          o.kind,
          o.name,
          o.state === 'ok' ? out.c.green(o.kind === 'trigger' ? 'ok, enabled' : 'ok') : out.c.red(o.state),
          // The repair is printed once, on the object's problem line below.
          [...o.problems, ...o.notes].join('; '),
        ]),
      ),
    );
  }
  const section = (part: HealthPart, count: number, rows: Array<Record<string, unknown>>, extra = '') => {
    const label = HEALTH_PARTS[part].label;
    const skipped = r.notChecked.find((n) => n.part === part);
    if (skipped) {
      out.print(`${label}: ${out.c.red(`not checked (no table ${skipped.absentTables.join(', ')})`)}`);
      return;
    }
    out.print(`${label}: ${count === 0 ? out.c.green('0') : out.c.red(String(count))}${extra}`);
    for (const row of rows.slice(0, count ? SHOWN_ROWS : 0)) out.print(`  ${formatRow(row)}`);
    if (count > SHOWN_ROWS) out.print(out.c.dim(`  ... ${count - SHOWN_ROWS} more (--json, --sample N)`));
  };
  // Nothing at all to show when the module is absent: the problem line says so.
  if (r.notChecked.length < Object.keys(HEALTH_PARTS).length) {
    section('missing', r.missing.pairs, r.missing.sample, r.missing.bookings ? ` (${r.missing.bookings} booking(s))` : '');
    section('blockedByDeleted', r.blockedByDeleted.pairs, r.blockedByDeleted.sample);
    section('duplicates', r.duplicates.pairs, r.duplicates.sample);
  }
  if (r.backfill) {
    const b = r.backfill;
    if (b.resumedFrom) {
      out.print(`resumed the run started ${b.resumedFrom.startedAt} (${b.resumedFrom.created} room(s) created before the interruption)`);
    }
    out.print(`backfill: created ${b.created} room(s) for ${b.planned.bookings} booking(s) of ${b.planned.pairs} pair(s) in ${b.batches} batch(es), ${formatDuration(b.ms)}`);
    if (r.before) out.print(`before: ${r.before.missingPairs} pair(s) missing a room; now: ${r.missing.pairs}`);
  }
  if (r.dryRun) {
    const d = r.dryRun;
    out.print(`dry run: --backfill would create ${d.wouldCreate.pairs} room(s) (for ${d.wouldCreate.bookings} active booking(s)); nothing was changed`);
    if (d.wouldResumeFrom) out.print(`it would resume the run started ${d.wouldResumeFrom.startedAt} (${d.wouldResumeFrom.created} room(s) created before it stopped)`);
    if (d.wouldRefuse) out.print(out.c.red(`it would refuse: ${d.wouldRefuse}`));
  }
  if (r.ok) out.print(out.c.green('ok: every active booking has its chat room'));
  else for (const p of r.problems) out.print(out.c.red(`problem: ${p}`));
}
