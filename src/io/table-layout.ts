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
 * `width` wide. When it can, every column keeps its longest word whole (an id, a timestamp, an
 * action name) and only the text around words wraps; the columns with the most text give up
 * width first (narrow columns keep their natural width; the wide ones share what is left).
 */
export function columnWidths(natural: number[], width: number, longestWord: number[] = natural.map(() => 0)): number[] {
  const n = natural.length;
  const room = width - frame(n);
  if (natural.reduce((a, b) => a + b, 0) <= room) return [...natural];
  const floor = natural.map((w, i) => Math.min(w, Math.max(MIN_COLUMN, Math.min(longestWord[i], MAX_WORD))));
  const floorSum = floor.reduce((a, b) => a + b, 0);
  if (floorSum > room) return share(natural, room);
  const extra = share(natural.map((w, i) => w - floor[i]), room - floorSum, 0);
  return floor.map((w, i) => w + extra[i]);
}

/**
 * Whether columns of these natural widths can be drawn within `width` at all, none squeezed below
 * MIN_COLUMN (a narrower one keeps its width): a preview of every column of a slot (ten and more)
 * cannot in 80 or 100 columns, and is printed as records (`column  value` lines) instead of a
 * table whose headers are cut to "recruit…".
 */
export function fitsAsTable(natural: number[], width: number): boolean {
  return natural.reduce((sum, w) => sum + Math.min(w, MIN_COLUMN), 0) + frame(natural.length) <= width;
}

/** What a table of n columns spends besides its cells: a border between and around them, a space of padding each side. */
function frame(n: number): number {
  return n + 1 + 2 * n;
}

/** A word longer than this (a URL, a long command line) may be cut to keep the others whole. */
const MAX_WORD = 30;

/** Water-filling: the narrowest columns are served first; the rest split what remains. */
function share(wanted: number[], room: number, min = MIN_COLUMN): number[] {
  const widths = [...wanted];
  const order = wanted.map((_, i) => i).sort((a, b) => wanted[a] - wanted[b]);
  let left = wanted.length;
  for (const i of order) {
    const fair = Math.max(min, Math.floor(room / left));
    widths[i] = Math.min(wanted[i], fair);
    room -= widths[i];
    left--;
  }
  return widths;
}

/** The longest word of a cell (what wrapping at spaces cannot break). */
export function longestWord(text: string): number {
  return Math.max(0, ...stripVTControlCharacters(text).split(/[\s]+/).map((w) => w.length));
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
