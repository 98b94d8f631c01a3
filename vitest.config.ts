import { defineConfig } from 'vitest/config';

// Three projects, run together by `vitest run` (npm test), or one at a time with --project:
//   unit  test/unit: pure functions, no database; no globalSetup, so it runs with no PostgreSQL.
//   db    test/db/<area>: bookops code in-process against the test server.
//   e2e   test/e2e: the built binary (npm run build first), spawned against the test server.
// db and e2e get the test server from test/setup/global-setup.ts (inject('adminUrl')); it must
// not be set here at the root, where it would run for --project unit too.
//
// Every database test file creates a database of its own (test/fixtures/db.ts), so files may
// run in parallel; two workers match the two cores of the CI machines and keep the
// concurrency tests (40+ connections each) inside max_connections. The projects share one
// pool of those two workers (same maxWorkers, same sequence.groupOrder).
const DATABASE_SETUP = ['test/setup/global-setup.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'db', include: ['test/db/**/*.test.ts'], globalSetup: DATABASE_SETUP } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: DATABASE_SETUP } },
    ],
  },
});
