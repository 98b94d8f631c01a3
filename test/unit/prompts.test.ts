/**
 * The interactive confirmation of src/cli/prompts.ts: real prompts, driven through their input
 * stream (usePromptIO); no database (the Context connects lazily and is never asked to).
 */
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Context, DEFAULT_FLAGS } from '../../src/io/context.js';
import { Output } from '../../src/io/output.js';
import { chooseOne, confirmAction, usePromptIO } from '../../src/io/prompts.js';

describe('confirmation prompts', () => {
  const ctx = () => new Context({ ...DEFAULT_FLAGS }, new Output({ ...DEFAULT_FLAGS, color: false }), 'bookops test');
  afterAll(() => usePromptIO(undefined));

  async function answer(keys: string, spec: Parameters<typeof confirmAction>[1]) {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d) => (shown += d));
    usePromptIO({ input, output });
    const result = confirmAction(ctx(), spec).then(
      () => 'confirmed',
      (err: Error) => `refused: ${err.message}`,
    );
    await new Promise((r) => setTimeout(r, 50));
    input.write(keys);
    return { result: await result, shown };
  }

  it('a y/N prompt names the action and defaults to no', async () => {
    const yes = await answer('y\n', { action: 'delete number +1555 (2 bots)' });
    expect(yes.result).toBe('confirmed');
    expect(yes.shown).toContain('This will delete number +1555 (2 bots). Continue?');
    const no = await answer('\n', { action: 'delete number +1555 (2 bots)' });
    expect(no.result).toMatch(/^refused: not confirmed/);
  });

  it('a severe action wants the id typed', async () => {
    const right = await answer('42\n', { action: 'restore operation 42', typeToConfirm: '42' });
    expect(right.result).toBe('confirmed');
    expect(right.shown).toContain('Type 42 to confirm');
    const wrong = await answer('41\n', { action: 'restore operation 42', typeToConfirm: '42' });
    expect(wrong.result).toMatch(/refused: not confirmed \(typed '41'\)/);
  });

  it('--yes answers it; without a terminal it refuses', async () => {
    usePromptIO(undefined);
    const yes = new Context({ ...DEFAULT_FLAGS, yes: true }, new Output({ ...DEFAULT_FLAGS, color: false }), 'x');
    await expect(confirmAction(yes, { action: 'x' })).resolves.toBeUndefined();
    await expect(confirmAction(ctx(), { action: 'drop everything' })).rejects.toThrow(/refusing to drop everything without confirmation: not on a terminal/);
  });
});

describe('--no-input', () => {
  it('refuses a confirmation even where prompts are possible, and a choice takes its default', async () => {
    const input = new PassThrough();
    usePromptIO({ input, output: new PassThrough() });
    const noInput = new Context({ ...DEFAULT_FLAGS, input: false }, new Output({ ...DEFAULT_FLAGS, color: false }), 'x');
    expect(noInput.canPrompt).toBe(false);
    usePromptIO(undefined);
    await expect(confirmAction(noInput, { action: 'drop everything' })).rejects.toThrow(/refusing to drop everything without confirmation: --no-input/);
    await expect(chooseOne(noInput, 'which?', [{ name: 'a', value: 1 }, { name: 'b', value: 2 }], () => 2)).resolves.toBe(2);
  });
});
