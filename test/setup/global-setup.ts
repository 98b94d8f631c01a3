/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when set (CI's second pass uses
 * the system PostgreSQL 15), else an embedded cluster of its own in .bookops/test, started
 * here and stopped at the end. Test files get the admin URL through inject('adminUrl').
 */
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { clusterStatus, startCluster, stopCluster } from '../../src/embedded/cluster.js';
import { clusterPaths, projectRoot } from '../../src/embedded/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    serverLabel: string;
    embeddedHome: string;
  }
}

let testHome: string;
let wasRunning = false;

export async function setup(project: TestProject): Promise<void> {
  testHome = process.env.BOOKOPS_TEST_HOME ?? join(projectRoot(), '.bookops', 'test');
  const home = testHome;
  wasRunning = (await clusterStatus(clusterPaths(home))).running;
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
  process.stderr.write(`tests run against ${label}\n`);
  project.provide('adminUrl', adminUrl);
  project.provide('serverLabel', label);
  project.provide('embeddedHome', home);
}

/** Stops the test cluster when this run started it (also when only an e2e test started it). */
export async function teardown(): Promise<void> {
  const paths = clusterPaths(testHome);
  if (!wasRunning && (await clusterStatus(paths)).running) await stopCluster({ paths });
}
