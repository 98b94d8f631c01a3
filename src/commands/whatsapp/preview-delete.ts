/**
 * bookops whatsapp preview-delete <number>: what `whatsapp delete` would remove (seed 003's
 * warning, with numbers and names). Read-only.
 */
import { argument, command } from '../../cli/define.js';
import { sampleOption } from '../../cli/options.js';
import { numberRef } from '../../cli/parsers.js';
import { describeCounts, numberLabel, previewNumberDeletion } from '../../domain/whatsapp/delete-number.js';
import { requireModule } from '../../domain/require-module.js';
import { referrerWarnings, renderRows } from './render-number.js';
import { asInvoked } from '../../invocation.js';

export default command({
  name: 'preview-delete',
  readOnly: true,
  description: 'list the bots, conversations (and messages), broadcasts (and recipients) a delete of the number would remove; read-only',
  inputs: {
    number: argument('<number>', 'phone number (any formatting) or number id', numberRef),
    sample: sampleOption('rows shown per kind'),
  },
  examples: ['bookops whatsapp preview-delete +79000000001', 'bookops whatsapp preview-delete "+7 900 000-00-01" --json', 'bookops whatsapp preview-delete id:42'],
  run: async (ctx, o) => {
    const db = await ctx.db();
    await requireModule(db, 'whatsapp', 'reads');
    return previewNumberDeletion(db, o.number, o.sample);
  },
  render: (p, out) => {
    out.print(`deleting ${numberLabel(p.number)} would remove ${p.total} row(s): the number, ${describeCounts(p.counts)}`);
    renderRows(p, out);
    for (const line of referrerWarnings(p)) out.print(out.c.yellow(line));
    out.print(p.number.is_active ? `to keep everything and stop it instead: ${asInvoked(`whatsapp deactivate ${p.number.id}`)}` : 'the number is already inactive');
  },
});
