/**
 * bookops whatsapp delete <number>: deletes a WhatsApp number with everything under it (seed 003),
 * children first, every row archived (src/domain/whatsapp/delete-number.ts). Severe: the
 * confirmation asks to type the phone number.
 */
import { argument, command } from '../../cli/define.js';
import { sampleOption } from '../../cli/options.js';
import { numberRef } from '../../cli/parsers.js';
import { deleteNumberRule } from '../../domain/whatsapp/delete-number.js';
import { runDestructive } from '../../io/destructive.js';
import { renderDestructive } from '../../io/render-plan.js';
import { referrerWarnings, renderRows } from './render-number.js';
import { asInvoked } from '../../invocation.js';

export default command({
  name: 'delete',
  description:
    'delete the number with its bots, conversations, messages, broadcasts and recipients, children first, in one transaction, ' +
    'every row archived (works without cascading keys); asks to type the phone number',
  inputs: {
    number: argument('<number>', 'phone number (any formatting) or number id', numberRef),
    sample: sampleOption('rows shown per kind'),
  },
  examples: ['bookops whatsapp delete +79000000001 --dry-run', 'bookops whatsapp delete +79000000001', 'bookops whatsapp delete 42 --yes --json'],
  notes:
    'Exit codes: 0 deleted, 2 not a phone number or id, 4 not confirmed (or rows of a table bookops does not know would cascade), 5 no such number, ' +
    '6 it changed since the preview, or rows of such a table still reference it through a blocking key.\n' +
    `Undo: ${asInvoked('archive restore <operation>')}. To stop a number without losing anything: ${asInvoked('whatsapp deactivate')}.`,
  run: (ctx, o) => runDestructive(ctx, deleteNumberRule, { number: o.number, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      details: (plan) => {
        renderRows(plan.preview, out);
        return referrerWarnings(plan.preview).map((line) => out.c.yellow(line));
      },
      done: (res) => [
        `${out.c.green('deleted')} WhatsApp number ${res.number.phone_number} (id ${res.number.id}) and ${res.total - 1} row(s) under it: ` +
          `${res.deleted.bots} bot(s), ${res.deleted.conversations} conversation(s), ${res.deleted.messages} message(s), ${res.deleted.broadcasts} broadcast(s), ${res.deleted.recipients} recipient(s)`,
      ],
    }),
});
