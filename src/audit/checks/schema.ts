/**
 * Schema checks: pending migrations (src/migrate's own comparison of files and applied rows),
 * INVALID indexes, and the chat trigger and functions against the migration that defines them.
 */
import { BASELINE_FIRST, tablesWithoutBaseline } from '../../migrate/baseline-needed.js';
import { compare, readApplied, revivedSkips } from '../../migrate/state.js';
import { expectedChatObjects } from '../chats/expected.js';
import { inspectChatObjects } from '../chats/objects.js';
import { querySample } from '../query.js';
import type { CheckDefinition, CheckEnv, CheckOutcome } from '../types.js';

async function pendingMigrations(env: CheckEnv): Promise<CheckOutcome> {
  const files = await env.catalog.migrationFiles.load(env.migrationsDir);
  const applied = await readApplied(env.db);
  const statuses = compare(files, applied, await revivedSkips(env.db, files, applied));
  const pending = statuses.filter((s) => s.state === 'pending');
  const names = (state: string) => statuses.filter((s) => s.state === state).map((s) => s.name);
  // A production database bookops never migrated: up refuses until the baseline is recorded.
  const baselineFirst = (await tablesWithoutBaseline(env.db, files, applied)).length > 0;
  return {
    ...(baselineFirst ? { repair: `${BASELINE_FIRST} (the platform tables exist, no baseline is recorded)` } : {}),
    count: pending.length,
    sample: pending.slice(0, env.sample).map((m) => ({ migration: m.name, description: m.description })),
    details: {
      applied: statuses.length - pending.length,
      // An edited applied migration is not pending, but `migrate up` refuses until it is resolved.
      changed: names('changed'),
      missingFiles: names('missing'),
    },
  };
}

async function chatTrigger(env: CheckEnv): Promise<CheckOutcome> {
  const files = await env.catalog.migrationFiles.load(env.migrationsDir);
  const objects = await inspectChatObjects(env.db, expectedChatObjects(files));
  const bad = objects.filter((o) => o.state !== 'ok');
  const repairs = new Set<string>();
  for (const o of bad) {
    if (o.state === 'missing') repairs.add('bookops migrate up');
    if (o.state === 'disabled') repairs.add(`ALTER TABLE ${o.table ?? 'bookings'} ENABLE TRIGGER ${o.name}`);
    // The migration is applied but the object was changed since: run it again.
    if (o.state === 'differs') repairs.add(`bookops migrate down --to <the migration before ${o.expectedFrom?.split(/[/:]/)[1] ?? 'it'}> then bookops migrate up`);
  }
  return {
    repair: [...repairs].join('; ') || undefined,
    count: bad.length,
    sample: bad.slice(0, env.sample).map((o) => ({ object: o.object, kind: o.kind, name: o.name, state: o.state, problems: o.problems.join('; ') })),
    details: { objects },
  };
}

export const SCHEMA_CHECKS: CheckDefinition[] = [
  {
    id: 'schema.pending-migrations',
    module: 'schema',
    tables: [],
    severity: 'warn',
    title: 'migrations not applied',
    repair: 'bookops migrate plan; bookops migrate up',
    run: pendingMigrations,
  },
  {
    id: 'schema.invalid-indexes',
    module: 'schema',
    tables: [],
    severity: 'error',
    title: 'INVALID indexes (failed CREATE INDEX CONCURRENTLY)',
    repair: 'bookops migrate up (rebuilds its own); DROP INDEX CONCURRENTLY + rebuild others',
    run: (env) => querySample(env.db, 'audit/schema.invalid-indexes', {}, env.sample),
  },
  {
    id: 'schema.chat-trigger',
    module: 'schema',
    tables: ['bookings'],
    severity: 'error',
    title: 'chat objects (triggers and functions) missing, disabled or not as the migration defines them',
    repair: 'bookops migrate up (when disabled: ALTER TABLE bookings ENABLE TRIGGER <name>)',
    run: chatTrigger,
  },
];
