/**
 * How a table fits the screen: the terminal's width (a sane default when stdout is no
 * terminal), column widths that share it, and cells wrapped at word boundaries to those widths.
 * A 348-column row wraps onto four lines of a 100-column terminal and becomes unreadable; a cell
 * wrapped inside its column does not.
 */
import { stripVTControlCharacters } from 'node:util';

/** Width assumed when stdout is not a terminal and COLUMNS is unset (a pager, a file, CI logs). */
export const DEFAULT_WIDTH = 100;
/** A column is never squeezed below this (a wrapped word of 8 letters still reads). */
const MIN_COLUMN = 8;

export function screenWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_WIDTH;
}

export const visibleLength = (text: string): number => stripVTControlCharacters(text).length;

/**
 * Content widths per column (padding and borders excluded) so that the table, drawn with one
 * border character between and around columns and one space of padding each side, is at most
 * `width` wide. Narrow columns keep their natural width; the wide ones share what is left.
 */
export function columnWidths(natural: number[], width: number): number[] {
  const n = natural.length;
  let room = width - (n + 1) - 2 * n;
  const widths = [...natural];
  if (natural.reduce((a, b) => a + b, 0) <= room) return widths;
  // Water-filling: the narrowest columns are served first; the rest split what remains.
  const order = natural.map((w, i) => i).sort((a, b) => natural[a] - natural[b]);
  let left = n;
  for (const i of order) {
    const share = Math.max(MIN_COLUMN, Math.floor(room / left));
    widths[i] = Math.min(natural[i], share);
    room -= widths[i];
    left--;
  }
  return widths;
}

/** A cell's text as lines of at most `width` characters, broken at spaces (a longer word is cut). */
export function wrapCell(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  // Coloured cells are short labels; wrapping would cut their escape codes.
  if (visibleLength(text) !== text.length) return text;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      while (rest.length > width) {
        if (line) lines.push(line);
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
        line = '';
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** The longest line of a cell. */
export function cellWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleLength));
}
