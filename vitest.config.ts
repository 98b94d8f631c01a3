import { defineConfig } from 'vitest/config';

// Every database test file creates a database of its own (test/fixtures/db.ts), so files may
// run in parallel; two workers match the two cores of the CI machines and keep the
// concurrency tests (40+ connections each) inside max_connections.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
