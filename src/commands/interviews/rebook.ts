/**
 * bookops interviews rebook --slot <id> --user <tg id>: books a time slot again after a cancel,
 * through the booking rule (src/domain/interviews/book-slot.ts, seed 000): under the legacy
 * UNIQUE (time_slot_id) it archives the slot's cancelled interviews first; after migration 0002
 * they stay as history.
 */
import { command, option, requiredOption } from '../../cli/define.js';
import { choice, id, tgId } from '../../cli/parsers.js';
import { rebookSlot } from '../../domain/interviews/book-slot.js';
import { runDestructive } from '../../io/destructive.js';
import { renderDestructive } from '../../io/render-plan.js';

export default command({
  name: 'rebook',
  description:
    'book a time slot for a user after a cancel, through the booking rule: under the legacy UNIQUE (time_slot_id) the ' +
    "slot's cancelled interviews are archived and deleted first; after migration 0002 they stay as history",
  inputs: {
    slot: requiredOption('--slot <id>', 'time slot id (time_slots.id)', id),
    user: requiredOption('--user <tg id>', "the user's Telegram id (interviews.bot_user_id)", tgId),
    status: option('--status <status>', 'status of the new interview', choice('confirmed', 'pending'), 'confirmed' as 'confirmed' | 'pending'),
  },
  examples: [
    'bookops interviews rebook --slot 193 --user 5512345678 --dry-run',
    'bookops interviews rebook --slot 193 --user 5512345678',
    'bookops interviews rebook --slot 193 --user 5512345678 --yes --json',
  ],
  notes: 'Exit codes: 0 booked, 2 not a valid id, 4 not confirmed, 5 no such time slot, 6 an active interview holds the slot.',
  run: (ctx, o) => runDestructive(ctx, rebookSlot, { slotId: o.slot, userTgId: o.user, status: o.status }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res) => [
        `${out.c.green('booked')} time slot ${res.interview.time_slot_id} for user ${res.interview.bot_user_id}: new interview ${res.interview.id} (${res.interview.status})`,
        res.archivedCancelledIds.length > 0
          ? `archived and deleted cancelled interview(s) ${res.archivedCancelledIds.join(', ')}: the legacy key ${res.keys.join(', ')} counted them`
          : res.legacyPath
            ? 'no cancelled interview was in the way'
            : `no cancelled interview was touched: ${res.keys.join(', ') || 'the key'} counts active interviews only`,
      ],
    }),
});
