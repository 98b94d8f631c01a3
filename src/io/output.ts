/**
 * Everything the CLI writes goes through here. Results go to stdout (one JSON document with
 * --json); messages, warnings, progress and prompts go to stderr. Colour is decided here once:
 * chalk ignores NO_COLOR and cli-table3 colours even when piped, so --no-color, NO_COLOR,
 * TERM=dumb and non-TTY streams all map to chalk level 0 and plain tables.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { redactSecrets } from '../config/redact.js';
import { safeText } from './safe-text.js';
import { cellWidth, columnWidths, fitsAsTable, longestWord, screenWidth, wrapCell } from './table-layout.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** false for --no-color. */
  color: boolean;
  /** The command's --format: `plain` prints each table row as `column  value` lines. */
  format?: string;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

type Level = 0 | 1 | 2 | 3;

export function colorLevel(flagColor: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Level {
  if (!flagColor) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.TERM === 'dumb') return 0;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : 1;
  if (!stream.isTTY) return 0;
  return env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 3 : 2;
}

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Colours for stdout content. */
  readonly c: ChalkInstance;
  /** Colours for stderr messages. */
  readonly ce: ChalkInstance;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Tables are wrapped to this many columns: the terminal's, else COLUMNS, else 100. */
  readonly width: number;
  /** --format plain: rows as `column  value` lines, for screens too narrow for any table. */
  readonly plain: boolean;

  constructor(opts: OutputOptions) {
    const env = opts.env ?? process.env;
    this.json = opts.json;
    this.quiet = opts.quiet;
    this.verbose = opts.verbose;
    this.stdout = opts.stdout ?? process.stdout;
    this.stderr = opts.stderr ?? process.stderr;
    this.width = screenWidth(this.stdout, env);
    this.plain = opts.format === 'plain';
    this.c = new Chalk({ level: colorLevel(opts.color, this.stdout, env) });
    this.ce = new Chalk({ level: colorLevel(opts.color, this.stderr, env) });
  }

  /** True when spinners, progress bars and prompts may be drawn on stderr. */
  get interactive(): boolean {
    return Boolean(this.stderr.isTTY) && !this.json && !this.quiet && process.env.TERM !== 'dumb';
  }

  /** Human result text, on stdout. */
  print(text = ''): void {
    this.stdout.write(safeText(text) + '\n');
  }

  /**
   * SQL to run (`migrate plan`, `down --dry-run`): exactly as it will be sent when stdout is a
   * file or a pipe (psql runs it); on a terminal, its control characters escaped like any text
   * from the database (a site's definition it quotes).
   */
  printSql(sql: string): void {
    this.stdout.write(this.stdout.isTTY ? safeText(sql) : sql);
  }

  /** The one JSON document of a --json run. */
  printJson(data: unknown): void {
    this.stdout.write(JSON.stringify(data, null, 2) + '\n');
  }

  /** Progress and status messages: stderr, hidden by --quiet. */
  info(message: string): void {
    if (!this.quiet) this.stderr.write(safeText(redactSecrets(message)) + '\n');
  }

  warn(message: string): void {
    this.stderr.write(this.ce.yellow('warning: ') + safeText(redactSecrets(message)) + '\n');
  }

  /** Only with --verbose. */
  debug(message: string): void {
    if (this.verbose) this.stderr.write(this.ce.dim(safeText(redactSecrets(message))) + '\n');
  }

  error(message: string): void {
    this.stderr.write(this.ce.red('error: ') + safeText(redactSecrets(message)) + '\n');
  }

  /**
   * A table as text, at most `width` columns wide: long cells wrap inside their column. Plain
   * borders and no colour when colour is off; with --format plain, or when there are too many
   * columns for the width, one `column  value` line per field and a blank line between rows.
   */
  table(head: string[], rows: Array<Array<string | number | null | undefined>>): string {
    // Escaped before the widths are measured: an escaped control character takes its room.
    const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : safeText(String(cell)))));
    const natural = head.map((h, i) => Math.max(cellWidth(h), ...cells.map((row) => cellWidth(row[i] ?? ''))));
    // Without rows there is nothing to print as records: the header stays a table.
    if (this.plain || (cells.length > 0 && !fitsAsTable(natural, this.width))) return plainRecords(head, cells);
    const widths = columnWidths(
      natural,
      this.width,
      head.map((h, i) => Math.max(longestWord(h), ...cells.map((row) => longestWord(row[i] ?? '')))),
    );
    const plain = this.c.level === 0;
    const table = new Table({
      head: head.map((h, i) => wrapCell(plain ? h : this.c.bold(h), widths[i])),
      style: { head: [], border: [], compact: true },
      chars: plain ? ASCII_CHARS : undefined,
      colWidths: widths.map((w) => w + 2),
    });
    for (const row of cells) table.push(row.map((cell, i) => wrapCell(cell, widths[i])));
    return table.toString();
  }
}

function plainRecords(head: string[], rows: string[][]): string {
  const pad = Math.max(...head.map((h) => h.length));
  return rows.map((row) => head.map((h, i) => `${h.padEnd(pad)}  ${row[i] ?? ''}`.trimEnd()).join('\n')).join('\n\n');
}

const ASCII_CHARS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+',
  right: '|', 'right-mid': '+', middle: '|',
};
