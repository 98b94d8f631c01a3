/** startProgress (src/cli/progress.ts) drawn through an Output (src/cli/output.ts) on a fake terminal, no database. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Output } from '../../src/io/output.js';
import { startProgress } from '../../src/io/progress.js';

describe('progress on a terminal', () => {
  /** A terminal stderr that keeps what is drawn on it. */
  class FakeTerminal extends Writable {
    isTTY = true;
    columns = 80;
    drawn = '';
    override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
      this.drawn += String(chunk);
      done();
    }
    clearLine = () => true;
    cursorTo = () => true;
    moveCursor = () => true;
  }

  it('is drawn without colour under NO_COLOR (ora and log-symbols colour it otherwise)', async () => {
    const stderr = new FakeTerminal();
    const out = new Output({ json: false, quiet: false, verbose: false, color: true, env: { NO_COLOR: '1' }, stderr: stderr as unknown as NodeJS.WriteStream });
    const progress = await startProgress(out, 'backfilling');
    progress.update(1, 2);
    progress.succeed('10 rooms created');
    expect(stderr.drawn).toContain('✔ 10 rooms created');
    expect(stderr.drawn).not.toMatch(/\x1b\[(3|9)\dm/);
  });
});
