/** Throw-away migration folders for runner tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];
// Registered when a test file imports this helper: its folders go when the file is done.
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

export function migrationDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bookops-migrations-'));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function rewrite(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

/** Polls `probe` until it returns true (a state reached), failing after `timeoutMs`. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
