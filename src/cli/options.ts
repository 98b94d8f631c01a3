/** Options several commands take, declared once (command files put them in their inputs). */
import { envOption, option } from './define.js';
import { PREVIEW_ROWS } from '../domain/preview-rows.js';
import { choice, duration, integer } from './parsers.js';

/** --sample <n>: rows shown per table by --dry-run. */
export const sampleOption = (description = 'rows shown by --dry-run') => option('--sample <n>', description, integer(0, 10_000), PREVIEW_ROWS);

/** --batch-size <n>: rows per committed transaction of a batched repair. */
export const batchSizeOption = (description = 'rows per batch (one committed transaction each)', max = 100_000, byDefault = 5000) =>
  option('--batch-size <n>', description, integer(1, max), byDefault);

/** --migrations-dir <path> (BOOKOPS_MIGRATIONS_DIR): the migrations folder. */
export const migrationsDirOption = (description = 'migrations folder (default: the migrations/ shipped with bookops)') =>
  envOption('--migrations-dir <path>', description, 'BOOKOPS_MIGRATIONS_DIR');

/** --lock-wait <duration>: how long to wait for another run's lock. */
export const lockWaitOption = (description = 'wait this long for another run to release the migration lock', byDefault = 60_000, shown = '60s') =>
  option('--lock-wait <duration>', description, duration, byDefault, shown);

export const retriesOption = () => option('--retries <n>', 'attempts per migration or statement when lock_timeout strikes', integer(1, 100), 8);

/** What every --format offers: `table` (fitted to the terminal's width) and `plain` (no table). */
export const TABLE_FORMATS = ['table', 'plain'] as const;

/**
 * --format <format>, one option for every command that prints tables: `table` wraps long cells to
 * the terminal's width, `plain` prints each row as `column  value` lines for narrow screens (the
 * Output reads it from the command's options). A command with formats of its own passes them.
 */
export const formatOption = <F extends string>(...more: F[]) =>
  option<(typeof TABLE_FORMATS)[number] | F>(
    '--format <format>',
    `how results are printed: ${[...TABLE_FORMATS, ...more].join(', ')} (plain: one "column  value" line per field, for narrow screens)`,
    choice<(typeof TABLE_FORMATS)[number] | F>(...TABLE_FORMATS, ...more),
    'table',
  );

/** --prometheus <file>: the Prometheus text written atomically for node_exporter's textfile collector. */
export const prometheusFileOption = () =>
  option('--prometheus <file>', 'write the metrics atomically to this .prom file (node_exporter textfile collector; every series labelled with its target)');
