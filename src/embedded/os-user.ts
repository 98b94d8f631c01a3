/**
 * PostgreSQL refuses to run as root. When bookops runs as root (containers, CI), the server runs
 * as the `postgres` OS user, which is created when it does not exist yet.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { ConnectionError } from '../errors.js';

const execFileAsync = promisify(execFile);

export interface ServerIdentity {
  /** Undefined when we are not root: the server runs as the current user. */
  uid?: number;
  gid?: number;
  name: string;
}

const SERVER_USER = 'postgres';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function lookupIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

export async function serverIdentity(): Promise<ServerIdentity> {
  if (!isRoot()) return { name: process.env.USER || 'current user' };
  let ids = await lookupIds(SERVER_USER);
  if (!ids) {
    try {
      await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER]);
    } catch (err) {
      throw new ConnectionError(`running as root and cannot create the '${SERVER_USER}' OS user for the embedded cluster`, {
        hint: 'create a postgres user (useradd postgres), run bookops as a normal user, or use --db',
        cause: err,
      });
    }
    ids = await lookupIds(SERVER_USER);
    if (!ids) throw new ConnectionError(`cannot find the '${SERVER_USER}' OS user after creating it`);
  }
  return { ...ids, name: SERVER_USER };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a server binary as the server's OS user, with a hard timeout. */
export function runAs(
  who: ServerIdentity,
  file: string,
  args: string[],
  opts: { timeoutMs: number; cwd?: string; env?: Record<string, string> },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      uid: who.uid,
      gid: who.gid,
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
