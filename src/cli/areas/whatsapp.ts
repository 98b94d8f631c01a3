import { InvalidArgumentError, Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { integer } from '../parsers.js';

/** A number as support types it: an id (42, id:42) or a phone number (+7 900 123-45-67); 0 is neither. */
function numberRef(value: string): string {
  const text = value.trim();
  if (!/^(id:)?0+$/i.test(text) && (/^(id:)?\d{1,10}$/i.test(text) || /^\+?[0-9][0-9 ()\-.]{2,31}$/.test(text))) return text;
  throw new InvalidArgumentError('is not a phone number (+7 900 123-45-67) or a number id (42, id:42).');
}

export function registerWhatsapp(program: Command, state: RunState): void {
  const whatsapp = program
    .command('whatsapp')
    .description('WhatsApp bot numbers: preview what a delete takes, delete with everything under it, or deactivate (seed 003)')
    .addHelpText(
      'after',
      examples('bookops whatsapp preview-delete +79000000001', 'bookops whatsapp delete +79000000001', 'bookops whatsapp deactivate 42'),
    );

  const sample = () => new Option('--sample <n>', 'rows shown per kind').argParser(integer(0, 10_000)).default(20);

  whatsapp
    .command('preview-delete')
    .description('list the bots, conversations (and messages), broadcasts (and recipients) a delete of the number would remove; read-only')
    .argument('<number>', 'phone number (any formatting) or number id', numberRef)
    .addOption(sample())
    .addHelpText('after', examples('bookops whatsapp preview-delete +79000000001', 'bookops whatsapp preview-delete "+7 900 000-00-01" --json', 'bookops whatsapp preview-delete id:42'))
    .action(runs(state, () => import('../../commands/whatsapp/preview-delete.js'), ['number']));

  whatsapp
    .command('delete')
    .description(
      'delete the number with its bots, conversations, messages, broadcasts and recipients, children first, in one transaction, ' +
        'every row archived (works without cascading keys); asks to type the phone number',
    )
    .argument('<number>', 'phone number (any formatting) or number id', numberRef)
    .addOption(sample())
    .addHelpText(
      'after',
      examples('bookops whatsapp delete +79000000001 --dry-run', 'bookops whatsapp delete +79000000001', 'bookops whatsapp delete 42 --yes --json') +
        '\nExit codes: 0 deleted, 2 not a phone number or id, 4 not confirmed (or rows of a table bookops does not know would cascade), 5 no such number, ' +
          '6 it changed since the preview, or rows of such a table still reference it through a blocking key.\n' +
        'Undo: bookops archive restore <operation>. To stop a number without losing anything: bookops whatsapp deactivate.\n',
    )
    .action(runs(state, () => import('../../commands/whatsapp/delete.js'), ['number']));

  whatsapp
    .command('deactivate')
    .description('set the number and its active bots inactive (archived; nothing is deleted): the reversible alternative to delete')
    .argument('<number>', 'phone number (any formatting) or number id', numberRef)
    .addOption(new Option('--sample <n>', 'rows shown per table by --dry-run').argParser(integer(0, 10_000)).default(20))
    .addHelpText('after', examples('bookops whatsapp deactivate +79000000001 --dry-run', 'bookops whatsapp deactivate 42', 'bookops whatsapp deactivate 42 --yes --json'))
    .action(runs(state, () => import('../../commands/whatsapp/deactivate.js'), ['number']));
}
