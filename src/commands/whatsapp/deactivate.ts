/** bookops whatsapp deactivate <number>: the reversible alternative to delete (src/domain/whatsapp/deactivate-number.ts). */
import { argument, command } from '../../cli/define.js';
import { sampleOption } from '../../cli/options.js';
import { numberRef } from '../../cli/parsers.js';
import { deactivateNumberRule } from '../../domain/whatsapp/deactivate-number.js';
import { runDestructive } from '../../io/destructive.js';
import { renderDestructive } from '../../io/render-plan.js';

export default command({
  name: 'deactivate',
  description: 'set the number and its active bots inactive (archived; nothing is deleted): the reversible alternative to delete',
  inputs: {
    number: argument('<number>', 'phone number (any formatting) or number id', numberRef),
    sample: sampleOption('rows shown per table by --dry-run'),
  },
  examples: ['bookops whatsapp deactivate +79000000001 --dry-run', 'bookops whatsapp deactivate 42', 'bookops whatsapp deactivate 42 --yes --json'],
  run: (ctx, o) => runDestructive(ctx, deactivateNumberRule, { number: o.number, sample: o.sample }),
  render: (r, out) =>
    renderDestructive(r, out, {
      done: (res) => [
        `${out.c.green('deactivated')} WhatsApp number ${res.number.phone_number} (id ${res.number.id})${res.numberDeactivated ? '' : ' (was already inactive)'} and ${res.botsDeactivated} bot(s)`,
      ],
    }),
});
