/**
 * libpq's connection service files (parseServiceInfo in fe-connect.c):
 *
 *   [booking-prod]
 *   host=db1.internal
 *   dbname=booking
 *
 * The service is looked up in the user's file first, PGSERVICEFILE or else ~/.pg_service.conf,
 * and only when it is not there in the system's, $PGSYSCONFDIR/pg_service.conf. The first file
 * that has the section is the only one read for it. Lines are keyword=value exactly (no spaces
 * around '=', no quoting), '#' starts a comment line; a line of another section is not checked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isConninfoKeyword, type ConninfoOptions } from './conninfo.js';
import { homeDirectory } from './home.js';

/** Where libpq looks for pg_service.conf when PGSYSCONFDIR is not set (Debian's build). */
export const DEFAULT_SYSCONFDIR = '/etc/postgresql-common';

export class ServiceFileError extends Error {}

export function serviceFiles(env: NodeJS.ProcessEnv): { user: string | undefined; system: string } {
  const home = homeDirectory(env);
  return {
    user: env.PGSERVICEFILE || (home ? join(home, '.pg_service.conf') : undefined),
    system: join(env.PGSYSCONFDIR || DEFAULT_SYSCONFDIR, 'pg_service.conf'),
  };
}

/** The service's entries, or a ServiceFileError naming the service (or the file and line). */
export function lookupService(name: string, env: NodeJS.ProcessEnv): ConninfoOptions {
  const files = serviceFiles(env);
  // A file named by PGSERVICEFILE must exist, as in libpq; the default ones may be absent.
  if (env.PGSERVICEFILE && !existsSync(env.PGSERVICEFILE)) throw new ServiceFileError(`service file "${env.PGSERVICEFILE}" not found`);
  for (const file of [files.user, files.system]) {
    if (!file || !existsSync(file)) continue;
    const entries = readSection(file, name);
    if (entries) return entries;
  }
  const looked = [files.user, files.system].filter(Boolean).join(' and ');
  throw new ServiceFileError(`definition of service "${name}" not found (looked in ${looked})`);
}

function readSection(file: string, name: string): ConninfoOptions | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ServiceFileError(`cannot read service file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let found: ConninfoOptions | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (found) return found; // the next section ends ours
      if (line === `[${name}]` || line.startsWith(`[${name}]`)) found = {};
      continue;
    }
    if (!found) continue;
    // The line is never repeated: it may hold a password.
    const eq = line.indexOf('=');
    const key = eq === -1 ? '' : line.slice(0, eq);
    if (key === 'service') throw new ServiceFileError(`nested service specifications are not supported (service file ${file}, line ${n + 1})`);
    if (!isConninfoKeyword(key)) {
      const why = /^[A-Za-z_]+$/.test(key) ? `keyword '${key}' is not one bookops reads (keywords are case-sensitive)` : 'expected keyword=value';
      throw new ServiceFileError(`service file ${file}, line ${n + 1}: ${why}`);
    }
    // As in libpq, the first line that sets a keyword wins.
    found[key] ??= line.slice(eq + 1);
  }
  return found;
}
