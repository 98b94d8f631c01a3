/**
 * `migrate plan` / `up --dry-run`: connect, introspect, and print the exact statements `up`
 * would send, inside a READ ONLY transaction that is rolled back: no table is created, no lock
 * table row is written, no advisory lock is taken.
 */
import type { Knex } from 'knex';
import type { SessionOptions, SettingsMode } from '../data/connect.js';
import { findMigration, type MigrationFile } from './migration-file.js';
import { preflightAhead, type Direction, type PreflightResult } from './preflight.js';
import { isCommentOnly, renderStatement, type RenderedStatement } from './render.js';
import { stripComments } from './split-statements.js';
import { baselineFirst, tablesWithoutBaseline } from './baseline-needed.js';
import { changedSinceApplied, pendingUpTo, readApplied, revivedSkips, skippedFor, type AppliedRow, type MigrationStatus } from './state.js';
import { MIGRATION_VARIABLES } from './variables.js';
import { missingTables } from './requirements.js';
import { refuseOnCitus } from './citus.js';
import { citusVersion } from '../data/catalog.repository.js';
import { recordedObjects } from '../data/migrate.repository.js';
import { handMadeContext, restoreRemaining } from './hand-made.js';
import { HAND_MADE_KINDS, sqlComment } from './rendered-statement.js';

export interface PlannedMigration {
  name: string;
  isBaseline: boolean;
  description: string;
  transactional: boolean;
  statements: RenderedStatement[];
  preflight?: PreflightResult;
  /** Tables the migration needs that do not exist now (it would be skipped). */
  missingTables: string[];
  /** down: it was recorded without running, for want of these tables; nothing is reverted. */
  neverRan?: string[];
}

export interface Plan {
  migrations: PlannedMigration[];
  /** True when an earlier pending migration creates tables: later ones are rendered against today's catalog. */
  approximate: boolean;
  /** down: `migrate down --dry-run`; up when absent. */
  direction?: 'up' | 'down';
  /**
   * The platform tables that exist while no baseline is recorded: up refuses until `migrate
   * baseline`, and the plan shows what up would run after it (the baseline left out).
   */
  baselineNeeded?: string[];
  /** On a Citus coordinator: why up would refuse (src/migrate/citus.ts); absent elsewhere. */
  citusRefusal?: string;
  /** up: applied migrations whose file was edited since or is gone (up refuses without --allow-changed). */
  changed?: Array<Pick<MigrationStatus, 'name' | 'state'>>;
}

export async function planUp(db: Knex, files: MigrationFile[], to?: string): Promise<Plan> {
  const target = to ? findMigration(files, to) : undefined;
  const trx = await db.transaction({ readOnly: true });
  try {
    const applied = await readApplied(trx);
    const baselineNeeded = await tablesWithoutBaseline(trx, files, applied);
    const revived = await revivedSkips(trx, files, applied);
    const pending = pendingUpTo(files, applied, target, revived).filter((f) => !(baselineNeeded.length && f.isBaseline));
    const migrations: PlannedMigration[] = [];
    for (const file of pending) migrations.push(await planMigration(trx, file, 'up'));
    const createsTables = pending.slice(0, -1).some((f) => f.up.some((s) => /^\s*create\s+table\b/im.test(s.sql)));
    const changed = changedSinceApplied(files, applied).map(({ name, state }) => ({ name, state }));
    const citusRefusal = citusRefusalOf(await citusVersion(trx), pending);
    return {
      migrations,
      approximate: createsTables,
      ...(baselineNeeded.length ? { baselineNeeded } : {}),
      ...(changed.length ? { changed } : {}),
      ...(citusRefusal ? { citusRefusal } : {}),
    };
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

/**
 * `migrate down --dry-run`: the down statements of the migrations it would revert, newest first,
 * rendered against the catalog as it is now (in a READ ONLY transaction, rolled back). Only the
 * first is exact: each revert changes what the next one finds.
 */
export async function planDown(db: Knex, candidates: MigrationFile[], applied: AppliedRow[]): Promise<Plan> {
  const trx = await db.transaction({ readOnly: true });
  try {
    const migrations: PlannedMigration[] = [];
    for (const file of candidates) {
      const neverRan = skippedFor(applied, file.name);
      migrations.push(neverRan ? { ...describe(file), missingTables: [], statements: [], neverRan } : await planMigration(trx, file, 'down'));
    }
    return { migrations, approximate: candidates.length > 1, direction: 'down' };
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

/** One migration's statements in one direction, rendered against the catalog now, with its preflight. */
async function planMigration(trx: Knex.Transaction, file: MigrationFile, direction: Direction): Promise<PlannedMigration> {
  const missing = await missingTables(trx, file);
  const statements: RenderedStatement[] = [];
  const ctx = handMadeContext(file.name, direction, direction === 'down' ? await recordedObjects(trx, file.name) : []);
  const section = missing.length ? [] : direction === 'up' ? file.up : (file.down ?? []);
  for (const statement of section) {
    for (const rendered of await renderStatement(trx, statement, MIGRATION_VARIABLES, `migrations/${file.name}`, ctx)) {
      // The plan reads the catalog once, before any statement: a later catalog query (bookops:each)
      // still finds an object an earlier statement drops. When it runs, that query comes after the
      // drop and finds nothing: the same DROP is not sent twice, so it is not shown twice.
      const sent = stripComments(rendered.sql).trim();
      if (/^DROP\b/i.test(sent) && statements.some((s) => stripComments(s.sql).trim() === sent)) continue;
      statements.push(rendered);
    }
  }
  if (direction === 'down' && section.length) statements.push(...restoreRemaining(ctx));
  return {
    ...describe(file),
    missingTables: missing,
    statements,
    // As `up` runs it ahead: one whose tables do not exist yet runs later; one that fails (no
    // privilege, a column of another type) fails the plan as it would fail `up`, never passing as
    // one that found nothing (--check would let CI through to a refused `up`).
    preflight: await preflightAhead(trx, file, direction),
  };
}

/** What `migrate up` would refuse with on a Citus coordinator, as a line, or undefined. */
function citusRefusalOf(citus: string | null, pending: MigrationFile[]): string | undefined {
  try {
    refuseOnCitus(citus, pending, 'up');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function describe(file: MigrationFile): Pick<PlannedMigration, 'name' | 'isBaseline' | 'description' | 'transactional'> {
  return { name: file.name, isBaseline: file.isBaseline, description: file.description, transactional: file.transactional };
}

/**
 * The baseline recreates production's schema as it is (SERIAL, INTEGER, VARCHAR, TIMESTAMP
 * columns): Squawk's rules for the column types of new tables would have it be another schema.
 * Squawk only ignores a rule for a whole file or the next line, so a plan that holds the
 * baseline (an empty database) waives those four rules, and no other, for the whole plan.
 */
const BASELINE_SQUAWK = [
  '-- The baseline creates the legacy schema as production has it: Squawk\'s column-type rules do not apply to it.',
  '-- squawk-ignore-file prefer-bigint-over-int, prefer-identity, prefer-text-field, prefer-timestamp-tz',
];

/**
 * How the run carries its timeouts, as the connections it will use carry them (connect.ts): a
 * session of its own takes them for the session; through a pooler each transaction takes them
 * transaction-locally (scoped-settings.ts) and a session SET is never sent, so the script does
 * not show one.
 */
function settingsLines(session: SessionOptions, mode: SettingsMode): string[] {
  if (mode === 'startup') return [`SET lock_timeout = '${session.lockTimeoutMs}ms';`, `SET statement_timeout = '${session.statementTimeoutMs}ms';`];
  return [
    '-- Through a connection pooler: nothing is set for the pooled session. Each transaction up opens (BEGIN below) starts with',
    `--   SELECT set_config('lock_timeout', '${session.lockTimeoutMs}ms', true), set_config('statement_timeout', '${session.statementTimeoutMs}ms', true);`,
    "-- and each statement outside one runs in a transaction of its own that does the same; CREATE/DROP INDEX CONCURRENTLY",
    "-- run with the server's own timeouts. The run lock is a row of bookops_run_locks.",
  ];
}

/** The plan as one SQL script a DBA can read (and Squawk can lint). */
export function planToSql(plan: Plan, session: SessionOptions, targetLabel: string, settingsMode: SettingsMode = 'startup'): string {
  const down = plan.direction === 'down';
  const lines = [
    `-- bookops migrate ${down ? 'down --dry-run' : 'plan'} for ${targetLabel}`,
    `-- ${plan.migrations.length} ${down ? 'migration(s) to revert, newest first' : 'pending migration(s)'}. Nothing has been changed.`,
    ...(down ? [] : [`-- bookops also keeps its bookkeeping tables bookops_migrations, bookops_migrations_lock, bookops_migration_checksums and bookops_migration_objects.`]),
    ...(plan.citusRefusal ? [`-- ${plan.citusRefusal}: migrate up refuses here (docs/SCALE-OUT.md).`] : []),
    ...(plan.baselineNeeded
      ? [
          `-- The platform tables already exist here but no baseline is recorded: migrate up refuses until then.`,
          `-- ${baselineFirst()}. Shown: what up runs after the baseline is recorded.`,
        ]
      : []),
    ...(plan.approximate && down
      ? ['-- Each revert changes what the next one finds: only the first is shown exactly. Run it again after it.']
      : []),
    ...(plan.approximate && !down
      ? ['-- An earlier pending migration creates tables: the later ones are shown against the catalog as it is', '-- now. Run plan again after it for their exact statements.']
      : []),
    ...(plan.migrations.some((m) => m.isBaseline && !down) ? BASELINE_SQUAWK : []),
    ...settingsLines(session, settingsMode),
  ];
  for (const m of plan.migrations) {
    lines.push('', `-- ${down ? 'revert ' : ''}${m.name}${m.description ? `: ${m.description}` : ''}`);
    if (m.preflight?.violations) {
      lines.push(
        `-- ${down ? 'DOWN-PREFLIGHT' : 'PREFLIGHT'}: ${m.preflight.violations} row(s): ${m.preflight.description}. ` +
          `migrate ${down ? 'down' : 'up'} will refuse until they are resolved.`,
      );
    }
    if (m.neverRan) {
      lines.push(`-- nothing to revert: it was recorded without running (no table ${m.neverRan.join(', ')} then); only its record goes`);
      continue;
    }
    if (m.missingTables.length) {
      lines.push(
        down
          ? `-- nothing to revert here: table ${m.missingTables.join(', ')} does not exist; only its record goes`
          : plan.approximate
            ? `-- needs table ${m.missingTables.join(', ')}, absent now: run plan again once the earlier migrations are applied`
            : `-- skipped here: table ${m.missingTables.join(', ')} does not exist (recorded as applied, nothing runs)`,
      );
      continue;
    }
    // What it found built by hand, and what it does with each, before the statements themselves.
    const found = m.statements.filter((s) => s.kind && HAND_MADE_KINDS.includes(s.kind) && s.note);
    if (found.length) lines.push(`-- found here, and what ${down ? 'the revert' : 'it'} does with each:`, ...found.map((s) => sqlComment(s.note!, '--   ')));
    if (!m.transactional) lines.push('-- runs outside a transaction, one statement at a time');
    if (m.transactional) lines.push('BEGIN;');
    for (const s of m.statements) {
      if (s.kind === 'no-rows') lines.push(`${s.sql} now (evaluated again when it runs)`);
      // A comment standing in for a statement (sqlComment) is not sent, and needs no ';'.
      else lines.push(isCommentOnly(s.sql) ? s.sql : `${s.sql};`);
    }
    if (m.transactional) lines.push('COMMIT;');
  }
  return lines.join('\n') + '\n';
}
