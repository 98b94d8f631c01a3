/**
 * The state `chats verify` reports: the chat objects (present, enabled, as defined by the
 * migration), active bookings without a room (pairs and bookings), pairs blocked by a
 * soft-deleted room, and duplicate rooms. Read in one READ ONLY snapshot with the same queries
 * as the audit's chats.* checks, so both commands always agree. Like the audit, each part needs
 * only the tables its query reads (the audit check's own list): a part whose tables are absent
 * is reported not checked, and the others still run.
 */
import type { Knex } from 'knex';
import { platformTables } from '../data/catalog.repository.js';
import type { Findings, Row } from '../data/findings.js';
import * as lessons from '../data/lessons.repository.js';
import type { Db } from '../data/sql.js';
import type { MigrationFile } from '../migrate/migration-file.js';
import type { ChatObjectState } from './objects.js';
import { inspectChatObjectsWithRepairs } from './repair.js';

export interface PairFindings {
  pairs: number;
  sample: Row[];
}

/**
 * The parts of the health: what each reads (the tables it needs), and for the pair counts the
 * rule that finds them (sql/lessons/chat-rules.sql). The audit's chat checks read the same parts.
 */
export const HEALTH_PARTS = {
  objects: { label: 'chat objects', tables: ['bookings'] },
  missing: { label: 'pairs with an active booking and no room', tables: ['bookings', 'lessons', 'chat_rooms'], read: lessons.missingRooms },
  blockedByDeleted: { label: 'pairs whose only room is soft-deleted', tables: ['bookings', 'lessons', 'chat_rooms'], read: lessons.blockedByDeleted },
  duplicates: { label: 'pairs with duplicate rooms', tables: ['chat_rooms'], read: lessons.duplicateRooms },
} as const satisfies Record<string, { label: string; tables: readonly string[]; read?: (db: Db, sample: number) => Promise<Findings> }>;
export type HealthPart = keyof typeof HEALTH_PARTS;

export interface NotChecked {
  part: HealthPart;
  /** The tables it reads that are absent. */
  absentTables: string[];
}

export interface ChatHealth {
  objects: ChatObjectState[];
  missing: PairFindings & { bookings: number };
  blockedByDeleted: PairFindings;
  duplicates: PairFindings;
  /** Parts not checked because a table they read is absent (their counts are 0, not verified). */
  notChecked: NotChecked[];
  /** One line per thing that is wrong or could not be checked; empty when healthy. */
  problems: string[];
  /** After a backfill: how each part was re-checked when not in full (see AfterBackfill). */
  recheckedAfterBackfill?: { missing: string; duplicates: string | null };
}

/**
 * The re-check after a backfill reads only what the backfill could have changed: `missing`
 * among the bookings it planned (by key), since every booking activated meanwhile got its room
 * from the trigger (the backfill refuses to run without it). `blockedByDeleted` it cannot change
 * (it creates rooms only for pairs with none), and its check reads only pairs with a soft-deleted
 * room, so it runs as always. `duplicates` cannot exist while the unique key is as it must be (the
 * backfill refuses to run without it): read only when the key, read in the same snapshot, is not.
 */
export interface AfterBackfill {
  plannedBookingIds: string[];
}

/** The tables a part reads. */
export function partTables(part: HealthPart): readonly string[] {
  return HEALTH_PARTS[part].tables;
}

/** Which of `tables` are absent from the current schema. */
export async function absentTables(db: Db, tables: readonly string[]): Promise<string[]> {
  const present = await platformTables(db);
  return tables.filter((t) => !present.includes(t));
}

export async function readChatHealth(db: Knex, opts: { sample: number; migrations: MigrationFile[]; afterBackfill?: AfterBackfill }): Promise<ChatHealth> {
  const trx = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  try {
    const present = await platformTables(trx);
    const notChecked: NotChecked[] = [];
    const runs = (part: HealthPart) => {
      const absent = partTables(part).filter((t) => !present.includes(t));
      if (absent.length) notChecked.push({ part, absentTables: absent });
      return absent.length === 0;
    };
    const none: Findings = { count: 0, sample: [] };
    const pairs = async (part: Exclude<HealthPart, 'objects'>) => (runs(part) ? HEALTH_PARTS[part].read(trx, opts.sample) : none);
    const objects = runs('objects') ? await inspectChatObjectsWithRepairs(trx, opts.migrations) : [];
    const after = opts.afterBackfill;
    const missing = !after ? await pairs('missing') : runs('missing') ? await lessons.missingRoomsAmong(trx, after.plannedBookingIds, opts.sample) : none;
    const blocked = await pairs('blockedByDeleted');
    const keyHolds = objects.some((o) => o.kind === 'key' && o.state === 'ok');
    const duplicates = after && keyHolds ? none : await pairs('duplicates');
    const health: ChatHealth = {
      objects,
      missing: { pairs: missing.count, bookings: Number(missing.details?.bookings ?? 0), sample: missing.sample },
      blockedByDeleted: { pairs: blocked.count, sample: blocked.sample },
      duplicates: { pairs: duplicates.count, sample: duplicates.sample },
      notChecked,
      problems: [],
      ...(after
        ? {
            recheckedAfterBackfill: {
              missing: `among the ${after.plannedBookingIds.length} booking(s) the backfill planned (the trigger gives bookings activated meanwhile their room)`,
              duplicates: keyHolds ? 'none possible: the unique key on (teacher_id, student_id) keeps one room per pair' : null,
            },
          }
        : {}),
    };
    health.problems = problemsOf(health);
    return health;
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

/** Only the chat objects (catalog reads): what the backfill needs to know before it runs. */
export async function readChatObjects(db: Knex, migrations: MigrationFile[]): Promise<ChatObjectState[]> {
  return inspectChatObjectsWithRepairs(db, migrations);
}

function problemsOf(h: ChatHealth): string[] {
  const problems: string[] = [];
  const all = Object.keys(HEALTH_PARTS).length;
  if (h.notChecked.length === all) {
    const tables = [...new Set(h.notChecked.flatMap((n) => n.absentTables))];
    problems.push(`the lessons module is absent (no table ${tables.join(', ')}): nothing was verified`);
  } else {
    for (const n of h.notChecked) problems.push(`not checked: ${HEALTH_PARTS[n.part].label} (no table ${n.absentTables.join(', ')})`);
  }
  problems.push(
    ...h.objects.filter((o) => o.state !== 'ok').map((o) => `${o.kind} ${o.name}: ${o.problems.join('; ')}${o.repair ? ` (repair: ${o.repair})` : ''}`),
  );
  if (h.missing.pairs) problems.push(`${h.missing.pairs} (teacher, student) pair(s) with an active booking and no chat room (${h.missing.bookings} booking(s))`);
  if (h.blockedByDeleted.pairs) problems.push(`${h.blockedByDeleted.pairs} pair(s) whose only room is soft-deleted: a new room cannot be created`);
  if (h.duplicates.pairs) problems.push(`${h.duplicates.pairs} pair(s) with more than one live room`);
  return problems;
}
