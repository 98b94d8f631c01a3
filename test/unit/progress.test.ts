/** startProgress (src/cli/progress.ts) drawn through an Output (src/cli/output.ts) on a fake terminal, no database. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Output } from '../../src/io/output.js';
import { progressLine, rate, startProgress, timeLeft } from '../../src/io/progress.js';

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

describe('the progress line', () => {
  it('says what runs in words, how far of what, the rate and the time left', () => {
    expect(progressLine('deleting cancelled interviews', 'interviews', 200, 400, 2000)).toBe(
      'deleting cancelled interviews ████████░░░░░░░░ 50% · 200 of 400 interviews · 100/s · 2s left',
    );
    expect(progressLine('auditing db', 'checks', 3, 19, 1500, 'outbox rows stuck pending')).toBe('auditing db ███░░░░░░░░░░░░░ 15% · 3 of 19 checks · 2.0/s · 8s left · outbox rows stuck pending');
  });

  it('has no rate or time left before anything is done, and counts without a total', () => {
    expect(progressLine('creating missing chat rooms', 'bookings', 0, 1000, 500)).toBe('creating missing chat rooms ░░░░░░░░░░░░░░░░ 0% · 0 of 1,000 bookings');
    expect(progressLine('creating missing chat rooms', 'bookings', 1500, undefined, 1000)).toBe('creating missing chat rooms: 1,500 bookings · 1,500/s');
    expect(timeLeft(1, 10_000, 1000)).toBe('2h 46m 39s left');
    expect(rate(1, 10_000)).toBe('0.1/s');
  });
});
