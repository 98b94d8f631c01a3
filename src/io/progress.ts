/**
 * Spinners and progress bars, on stderr and only when a person is watching (stderr is a TTY,
 * no --json, no --quiet, no TERM=dumb): in cron and a CI log (not a terminal) nothing is drawn. With --no-color or
 * NO_COLOR they are drawn without colour: ora's spinner and log-symbols' ticks would colour
 * them anyway. The domain never imports this; it takes a plain callback that commands wire to a
 * Progress.
 */
import { formatDuration } from '../config/duration.js';
import type { Output } from './output.js';

export interface Progress {
  /** done of total units (the bar, the rate and the time left); total may be unknown; `note` says what is on now. */
  update(done: number, total?: number, note?: string): void;
  text(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

const SILENT: Progress = {
  update: () => undefined,
  text: () => undefined,
  succeed: () => undefined,
  fail: () => undefined,
  stop: () => undefined,
};

const BAR_WIDTH = 16;

export function bar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(ratio * 100)}%`;
}

/** "3s left", "2m 5s left": what is left at the rate so far (nothing before there is a rate). */
export function timeLeft(done: number, total: number, elapsedMs: number): string | undefined {
  if (done <= 0 || done >= total || elapsedMs <= 0) return undefined;
  const seconds = Math.ceil(((total - done) * elapsedMs) / done / 1000);
  return `${formatDuration(seconds * 1000)} left`;
}

/** Units per second so far, as a person reads it: "85/s", "1,200/s", "0.4/s". */
export function rate(done: number, elapsedMs: number): string | undefined {
  if (done <= 0 || elapsedMs <= 0) return undefined;
  const perSecond = (done * 1000) / elapsedMs;
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/**
 * The line a person reads: what runs, in words, then how far (of what), how fast and how long is
 * left: "deleting cancelled interviews ████████░░░░░░░░ 53% · 214 of 400 interviews · 85/s · 3s left".
 */
export function progressLine(doing: string, unit: string, done: number, total: number | undefined, elapsedMs: number, note?: string): string {
  const parts =
    total === undefined
      ? [`${doing}: ${done.toLocaleString('en-US')} ${unit}`, rate(done, elapsedMs)]
      : [`${doing} ${bar(done, total)}`, `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}`, rate(done, elapsedMs), timeLeft(done, total, elapsedMs)];
  return [...parts, note].filter(Boolean).join(' · ');
}

/** The spinner's line cut to the terminal: a line that wraps is redrawn as a new one on each frame. */
function fit(text: string, columns: number): string {
  const room = Math.max(10, columns - 3);
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}

/**
 * `doing` says in words what runs ("deleting cancelled interviews"); `unit` names what update()
 * counts ("interviews").
 */
export async function startProgress(out: Output, doing: string, unit = 'rows'): Promise<Progress> {
  // A terminal that reports 0 columns (script(1), some CI and container ptys) sends ora into an
  // endless loop clearing Infinity lines; draw nothing there.
  if (!out.interactive || !out.stderr.columns) return SILENT;
  const { default: ora } = await import('ora');
  const plain = out.ce.level === 0;
  const started = performance.now();
  const columns = () => out.stderr.columns || 80;
  // isEnabled: out.interactive already decided that a person is watching. Left to itself ora asks
  // again and answers no wherever a CI variable is set, even on a real terminal: it then prints the
  // first line once and never the progress.
  const spinner = ora({ text: fit(doing, columns()), stream: out.stderr, isEnabled: true, discardStdin: false, ...(plain ? { color: false as const } : {}) }).start();
  // Redrawn every second, not only when a batch ends: while a batch waits (on a lock, say) the
  // rate falls and the time left grows, as they really do.
  let last: Parameters<Progress['update']> | undefined;
  const draw = () => {
    if (last) spinner.text = fit(progressLine(doing, unit, last[0], last[1], performance.now() - started, last[2]), columns());
  };
  const ticker = setInterval(draw, 1000).unref();
  const end = (symbol: string, text: string, coloured: (text: string) => void) => {
    clearInterval(ticker);
    if (plain) spinner.stopAndPersist({ symbol, text });
    else coloured(text);
  };
  return {
    update(done, total, note) {
      last = [done, total, note];
      draw();
    },
    text(text) {
      last = undefined;
      spinner.text = fit(`${doing}: ${text}`, columns());
    },
    succeed: (text) => end('✔', text, (t) => void spinner.succeed(t)),
    fail: (text) => end('✖', text, (t) => void spinner.fail(t)),
    stop: () => {
      clearInterval(ticker);
      spinner.stop();
    },
  };
}
