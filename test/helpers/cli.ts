/** Runs the built binary (bin/bookops.js -> dist/) as a user would, and captures everything. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import { projectRoot } from '../../src/embedded/paths.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const BIN = join(projectRoot(), 'bin', 'bookops.js');

/** Environment without any database settings of the caller, so tests choose the target. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^PG[A-Z]+$/.test(key) || key === 'DATABASE_URL' || key.startsWith('BOOKOPS_')) delete env[key];
  }
  env.BOOKOPS_HOME = inject('embeddedHome');
  env.NO_COLOR = '1';
  // An undefined value in `extra` removes the variable.
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(
  args: string[],
  opts: {
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
    onSpawn?: (pid: number) => void;
    /** Called with all of stderr so far, each time more arrives: act when the run reaches a point. */
    onStderr?: (stderr: string) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
