/**
 * Spinners and progress bars, on stderr and only when a person is watching (stderr is a TTY,
 * no --json, no --quiet, no TERM=dumb). In cron and CI nothing is drawn. With --no-color or
 * NO_COLOR they are drawn without colour: ora's spinner and log-symbols' ticks would colour
 * them anyway. The domain never imports this; it takes a plain callback that commands wire to a
 * Progress.
 */
import type { Output } from './output.js';

export interface Progress {
  /** done of total units; total may be unknown. */
  update(done: number, total?: number): void;
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

const BAR_WIDTH = 24;

export function bar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(ratio * 100)}% (${done}/${total})`;
}

export async function startProgress(out: Output, label: string): Promise<Progress> {
  // A terminal that reports 0 columns (script(1), some CI and container ptys) sends ora into an
  // endless loop clearing Infinity lines; draw nothing there.
  if (!out.interactive || !out.stderr.columns) return SILENT;
  const { default: ora } = await import('ora');
  const plain = out.ce.level === 0;
  const spinner = ora({ text: label, stream: out.stderr, discardStdin: false, ...(plain ? { color: false as const } : {}) }).start();
  const end = (symbol: string, text: string, coloured: (text: string) => void) =>
    plain ? void spinner.stopAndPersist({ symbol, text }) : coloured(text);
  return {
    update(done, total) {
      spinner.text = total === undefined ? `${label} ${done}` : `${label} ${bar(done, total)}`;
    },
    text(text) {
      spinner.text = `${label} ${text}`;
    },
    succeed: (text) => end('✔', text, (t) => void spinner.succeed(t)),
    fail: (text) => end('✖', text, (t) => void spinner.fail(t)),
    stop: () => void spinner.stop(),
  };
}
