/**
 * Schema checks: pending and edited migrations (src/migrate's own comparison of files and
 * applied rows), INVALID indexes, and the chat trigger and functions against the migration that
 * defines them.
 */
import { HEALTH_PARTS } from '../../chats/health.js';
import { inspectChatObjectsWithRepairs } from '../../chats/repair.js';
import { invalidIndexes, tableIndexes } from '../../data/catalog.repository.js';
import { redundantGroups } from '../../migrate/equivalence.js';
import { baselineFirst, tablesWithoutBaseline } from '../../migrate/baseline-needed.js';
import { readStatuses } from '../../migrate/state.js';
import type { CheckDefinition, CheckEnv, CheckOutcome } from '../types.js';
import { asInvoked } from '../../invocation.js';

/** Each migration file against what the database recorded, as `migrate status` compares them. */
async function migrationStatuses(env: CheckEnv) {
  const files = await env.catalog.migrationFiles.load(env.migrationsDir);
  return { files, ...(await readStatuses(env.db, files)) };
}

async function pendingMigrations(env: CheckEnv): Promise<CheckOutcome> {
  const { files, applied, statuses } = await migrationStatuses(env);
  const pending = statuses.filter((s) => s.state === 'pending');
  const names = (state: string) => statuses.filter((s) => s.state === state).map((s) => s.name);
  // A production database bookops never migrated: up refuses until the baseline is recorded.
  const needsBaseline = (await tablesWithoutBaseline(env.db, files, applied)).length > 0;
  return {
    ...(needsBaseline ? { repair: `${baselineFirst()} (the platform tables exist, no baseline is recorded)` } : {}),
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

/** Applied migrations whose file was edited or removed since: `migrate up` refuses until resolved. */
async function changedMigrations(env: CheckEnv): Promise<CheckOutcome> {
  const { statuses } = await migrationStatuses(env);
  const drifted = statuses.filter((s) => s.state === 'changed' || s.state === 'missing');
  return {
    count: drifted.length,
    sample: drifted.slice(0, env.sample).map((m) => ({ migration: m.name, state: m.state === 'missing' ? 'file missing' : 'file changed since applied' })),
  };
}

async function chatTrigger(env: CheckEnv): Promise<CheckOutcome> {
  const files = await env.catalog.migrationFiles.load(env.migrationsDir);
  const objects = await inspectChatObjectsWithRepairs(env.db, files);
  const bad = objects.filter((o) => o.state !== 'ok');
  const repairs = new Set(bad.map((o) => o.repair).filter((r): r is string => Boolean(r)));
  return {
    repair: [...repairs].join('; ') || undefined,
    count: bad.length,
    sample: bad.slice(0, env.sample).map((o) => ({ object: o.object, kind: o.kind, name: o.name, state: o.state, problems: o.problems.join('; '), repair: o.repair })),
    details: { objects },
  };
}

/**
 * Two valid unique keys on one table that keep the same thing unique (the rule `migrate up` adopts
 * by, src/migrate/equivalence.ts): a fix applied by hand and again by a tool, or twice by hand.
 * One of them only costs writes; which one goes is the DBA's call (an application may name a
 * constraint in ON CONFLICT).
 */
async function redundantUniqueIndexes(env: CheckEnv): Promise<CheckOutcome> {
  const groups = redundantGroups(await tableIndexes(env.db, null));
  return {
    count: groups.length,
    sample: groups.slice(0, env.sample).map((g) => ({
      table: g[0].table,
      indexes: g.map((i) => (i.constraint_name ? `${i.index_name} (constraint ${i.constraint_name})` : i.index_name)).join(', '),
      definitions: g.map((i) => i.definition).join('; '),
    })),
  };
}

export const SCHEMA_CHECKS: CheckDefinition[] = [
  {
    id: 'schema.pending-migrations',
    module: 'schema',
    tables: [],
    severity: 'warn',
    title: 'migrations not applied',
    get repair() {
      return `${asInvoked('migrate plan')}; ${asInvoked('migrate up')}`;
    },
    run: pendingMigrations,
  },
  {
    id: 'schema.changed-migrations',
    module: 'schema',
    tables: [],
    severity: 'warn',
    title: 'applied migrations whose file changed or is missing since (migrate up refuses)',
    get repair() {
      return `restore the files as they were applied; or review the change, then ${asInvoked('migrate up --allow-changed')}`;
    },
    run: changedMigrations,
  },
  {
    id: 'schema.invalid-indexes',
    module: 'schema',
    tables: [],
    severity: 'error',
    title: 'INVALID indexes (failed CREATE INDEX CONCURRENTLY)',
    get repair() {
      return asInvoked('migrate up (rebuilds its own); DROP INDEX CONCURRENTLY + rebuild others');
    },
    run: (env) => invalidIndexes(env.db, env.sample),
  },
  {
    id: 'schema.redundant-unique-indexes',
    module: 'schema',
    tables: [],
    severity: 'warn',
    title: 'unique keys that another unique key of the same table already enforces (same keys, same condition)',
    repair: 'keep one: DROP INDEX CONCURRENTLY <index> (or ALTER TABLE <table> DROP CONSTRAINT <constraint>) after checking no application names it',
    run: redundantUniqueIndexes,
  },
  {
    id: 'schema.chat-trigger',
    module: 'schema',
    tables: HEALTH_PARTS.objects.tables,
    severity: 'error',
    title: 'chat objects (triggers, functions, the unique key on chat_rooms) missing, disabled or not as the migrations define them',
    get repair() {
      return asInvoked('migrate up (when disabled: ALTER TABLE bookings ENABLE TRIGGER <name>; the unique key: CREATE UNIQUE INDEX CONCURRENTLY)');
    },
    run: chatTrigger,
  },
];
