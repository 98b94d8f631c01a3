import { join, resolve } from 'node:path';
import { projectRoot } from '../paths.js';

/** Where the embedded cluster lives: BOOKOPS_HOME, else .bookops/ in the project (git-ignored). */
export function bookopsHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOOKOPS_HOME ? resolve(env.BOOKOPS_HOME) : join(projectRoot(), '.bookops');
}

export interface ClusterPaths {
  home: string;
  /** cluster.json: port, user, database, server version. */
  state: string;
  /** libpq password file (0600) holding the generated password. */
  pgpass: string;
  /** Owned by the server's OS user: data directory, log. */
  serverDir: string;
  dataDir: string;
  log: string;
  lock: string;
}

export function clusterPaths(home = bookopsHome()): ClusterPaths {
  const serverDir = join(home, 'pg');
  return {
    home,
    state: join(home, 'cluster.json'),
    pgpass: join(home, 'pgpass'),
    serverDir,
    dataDir: join(serverDir, 'data'),
    log: join(serverDir, 'server.log'),
    lock: join(home, 'cluster.lock'),
  };
}
