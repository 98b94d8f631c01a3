/**
 * bookops slots reassign <id> --candidate <tg id>: gives a slot to a candidate through the reject /
 * reserve / approve rules (src/domain/recruiting/reassign-slot.ts): the previous holder is told,
 * the new candidate gets the approval; when they hold it already, only the approval runs again.
 */
import { argument, command, option, requiredOption } from '../../cli/define.js';
import { sampleOption } from '../../cli/options.js';
import { id, tgId } from '../../cli/parsers.js';
import { reassignSlotRule } from '../../domain/recruiting/reassign-slot.js';
import { countSuperseded, describeSuperseded } from '../../domain/recruiting/supersede-messages.js';
import { runDestructive } from '../../io/destructive.js';
import { renderDestructive } from '../../io/render-plan.js';

export default command({
  name: 'reassign',
  description:
    'give a slot to a candidate through the reject / reserve / approve rules: the previous holder is told, stale logs ' +
    'and reminder jobs go, the new candidate gets the approval, a log and reminders; if they already hold it, the ' +
    'approval runs again: sent if it never was (the re-notification a stale log silenced, seed 002), not twice',
  inputs: {
    slot: argument('<id>', 'slot id (slots.id)', id),
    candidate: requiredOption('--candidate <tg id>', "the new candidate's Telegram id", tgId),
    name: option('--name <full name>', "the new candidate's name (slots.candidate_fio)"),
    sample: sampleOption('rows shown per table by --dry-run'),
  },
  examples: [
    'bookops slots reassign 412 --candidate 5512345678 --dry-run',
    'bookops slots reassign 412 --candidate 5512345678 --name "Иван Петров"',
    'bookops slots reassign 412 --candidate 5512345678 --yes --json',
  ],
  notes:
    'Exit codes: 0 done (or nothing to do), 2 not a valid id, 4 not confirmed, 5 no such slot, 6 the candidate holds another slot of the recruiter, the slot is canceled, or it changed since it was shown.',
  run: (ctx, o) => runDestructive(ctx, reassignSlotRule, { slotId: o.slot, candidateTgId: o.candidate, candidateName: o.name ?? null, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      unchanged: (res) =>
        `slot ${res.approved.slot.id} is candidate ${res.approved.candidateTgId}'s and approved already: their log, ${res.approved.outbox.row.type} ` +
        `(outbox ${res.approved.outbox.row.id}, ${res.approved.outbox.row.status}) and reminder jobs are in place; nothing is sent twice`,
      done: (res) => {
        const a = res.approved;
        const lines = [`${out.c.green('reassigned')} slot ${a.slot.id} to candidate ${a.candidateTgId} (status ${a.slot.status})`];
        if (res.released?.outbox) {
          lines.push(`previous candidate ${res.released.candidateTgId}: ${res.released.outbox.row.type} ${res.released.outbox.created ? 'enqueued' : 'already in the outbox'} (outbox ${res.released.outbox.row.id})`);
        }
        lines.push(
          `candidate ${a.candidateTgId}: ${a.outbox.row.type} ${a.outbox.created ? 'enqueued' : `already in the outbox (${a.outbox.row.status})`} (outbox ${a.outbox.row.id}); ` +
            `log ${a.log.log.type} ${a.log.created ? 'recorded' : 'already there'}; ${a.reminders.created} reminder job(s) scheduled`,
        );
        const archivedLogs = a.archivedLogs.length + (res.released?.archivedLogs.length ?? 0);
        const archivedJobs = a.reminders.archived.length + (res.released?.archivedReminders.length ?? 0);
        const superseded = countSuperseded([...a.supersededMessages, ...(res.released?.supersededMessages ?? [])]);
        lines.push(`archived: ${archivedLogs} stale notification log(s), ${archivedJobs} reminder job(s), ${describeSuperseded(superseded, 'the candidates')}`);
        return lines;
      },
    }),
});
