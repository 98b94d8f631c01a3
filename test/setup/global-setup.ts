/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when set (CI's second pass uses
 * the system PostgreSQL 15), else an embedded cluster of its own in .bookops/test, started
 * here and stopped at the end. Test files get the admin URL through inject('adminUrl').
 *
 * Several test runs may share the test cluster (two terminals): each holds a lease file while
 * it runs, and the last one to finish stops the cluster if a test run started it.
 *
 * The db and e2e projects of vitest.config.ts each list this file, and vitest runs it once per
 * project: the second finds the cluster running and shares it; the unit project never runs it.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { clusterStatus, startCluster, stopCluster } from '../../src/embedded/cluster.js';
import { clusterPaths } from '../../src/embedded/paths.js';
import { projectRoot } from '../../src/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    serverLabel: string;
    embeddedHome: string;
  }
}

let testHome: string;

const leases = () => join(testHome, 'test-leases');
const startedMarker = () => join(leases(), 'started-by-tests');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function setup(project: TestProject): Promise<void> {
  testHome = process.env.BOOKOPS_TEST_HOME ?? join(projectRoot(), '.bookops', 'test');
  const home = testHome;
  mkdirSync(leases(), { recursive: true });
  writeFileSync(join(leases(), String(process.pid)), '');
  // Whoever starts the cluster (this setup, or an e2e test later) leaves it to the last run.
  if (!(await clusterStatus(clusterPaths(home))).running) writeFileSync(startedMarker(), '');
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const paths = clusterPaths(home);
    const { state } = await startCluster({ paths, timeoutMs: 120_000 });
    adminUrl = `postgres://${state.user}:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/postgres`;
  }
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  await client.end();
  const url = new URL(adminUrl);
  const label = `${url.username}@${url.hostname}:${url.port || 5432} (PostgreSQL ${rows[0].v})`;
  process.stderr.write(`${project.name} tests run against ${label}\n`);
  project.provide('adminUrl', adminUrl);
  project.provide('serverLabel', label);
  project.provide('embeddedHome', home);
}

/** The last run to finish stops the test cluster, when a test run started it. */
export async function teardown(): Promise<void> {
  rmSync(join(leases(), String(process.pid)), { force: true });
  const others = readdirSync(leases()).filter((f) => /^\d+$/.test(f) && alive(Number(f)));
  if (others.length > 0 || !existsSync(startedMarker())) return;
  const paths = clusterPaths(testHome);
  if ((await clusterStatus(paths)).running) await stopCluster({ paths });
  rmSync(startedMarker(), { force: true });
}
