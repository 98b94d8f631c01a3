/**
 * bookops slots release <id>: frees a recruiting slot through the reject rule (seed 002,
 * src/domain/recruiting/reject-slot.ts): what it decides, previews and carries out is the rule's.
 */
import { argument, command, option } from '../../cli/define.js';
import { choice, id } from '../../cli/parsers.js';
import { releaseSlot } from '../../domain/recruiting/reject-slot.js';
import { countSuperseded, describeSuperseded } from '../../domain/recruiting/supersede-messages.js';
import { runDestructive } from '../../io/destructive.js';
import { isStatus, SLOT_FREE } from '../../platform/statuses.js';
import { renderDestructive } from '../../io/render-plan.js';
import { sampleOption } from '../../cli/options.js';

/** What became of the slot: freed, or (a canceled slot) only its candidate cleared, or nobody held it. */
function heldState(freed: boolean, status: string): string {
  if (!freed) return 'nobody held it';
  return isStatus(status, SLOT_FREE) ? 'now free' : `its candidate cleared (it stays ${status})`;
}

export default command({
  name: 'release',
  description:
    'free a slot through the reject rule: its notification logs and reminder jobs, and the earlier outbox messages of ' +
    'the candidate who held it (an approval not sent yet never is), are archived away, and that candidate is told once ' +
    '(candidate_reschedule, or candidate_rejection with --reason reject)',
  inputs: {
    slot: argument('<id>', 'slot id (slots.id)', id),
    reason: option('--reason <reason>', 'what the candidate is told', choice('reschedule', 'reject'), 'reschedule'),
    sample: sampleOption('rows shown per table by --dry-run'),
  },
  examples: ['bookops slots release 412 --dry-run', 'bookops slots release 412', 'bookops slots release 412 --reason reject --yes --json'],
  notes: 'Exit codes: 0 released (or nothing to do), 2 not a valid id, 4 not confirmed, 5 no such slot, 6 the slot changed (holder or status) since it was shown.',
  run: (ctx, o) => runDestructive(ctx, releaseSlot, { slotId: o.slot, reason: o.reason, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res) => [
        `${out.c.green('released')} slot ${res.slot.id}: ${heldState(res.freed, res.slot.status)}; archived ${res.archivedLogs.length} notification log(s), ${res.archivedReminders.length} reminder job(s)` +
          (res.candidateTgId === null ? '' : `, ${describeSuperseded(countSuperseded(res.supersededMessages), `candidate ${res.candidateTgId}`)}`),
        res.outbox
          ? `candidate ${res.candidateTgId}: ${res.outbox.row.type} ${res.outbox.created ? 'enqueued' : `already in the outbox (${res.outbox.row.status})`} as outbox ${res.outbox.row.id}`
          : 'nobody to tell: the slot had no candidate',
      ],
    }),
});
