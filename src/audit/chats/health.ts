/**
 * The state `chats verify` reports: the chat objects (present, enabled, as defined by the
 * migration), active bookings without a room (pairs and bookings), pairs blocked by a
 * soft-deleted room, and duplicate rooms. Read in one READ ONLY snapshot with the same queries
 * as the audit's chats.* checks, so both commands always agree.
 */
import type { Knex } from 'knex';
import type { MigrationFile } from '../../migrate/migration-file.js';
import { STATUS_PARAMS } from '../checks/data.js';
import { querySample } from '../query.js';
import type { Row } from '../types.js';
import type { ChatObjectState } from './objects.js';
import { inspectChatObjectsWithRepairs } from './repair.js';

export interface PairFindings {
  pairs: number;
  sample: Row[];
}

export interface ChatHealth {
  objects: ChatObjectState[];
  missing: PairFindings & { bookings: number };
  blockedByDeleted: PairFindings;
  duplicates: PairFindings;
  /** One line per thing that is wrong; empty when healthy. */
  problems: string[];
}

export async function readChatHealth(db: Knex, opts: { sample: number; migrations: MigrationFile[] }): Promise<ChatHealth> {
  const trx = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  try {
    const objects = await inspectChatObjectsWithRepairs(trx, opts.migrations);
    const pairs = async (check: string) => querySample(trx, `audit/${check}`, STATUS_PARAMS, opts.sample);
    const missing = await pairs('chats.missing');
    const blocked = await pairs('chats.blocked-by-deleted');
    const duplicates = await pairs('chats.duplicates');
    const health: ChatHealth = {
      objects,
      missing: { pairs: missing.count, bookings: Number(missing.details?.bookings ?? 0), sample: missing.sample },
      blockedByDeleted: { pairs: blocked.count, sample: blocked.sample },
      duplicates: { pairs: duplicates.count, sample: duplicates.sample },
      problems: [],
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
  const problems = h.objects
    .filter((o) => o.state !== 'ok')
    .map((o) => `${o.kind} ${o.name}: ${o.problems.join('; ')}${o.repair ? ` (repair: ${o.repair})` : ''}`);
  if (h.missing.pairs) problems.push(`${h.missing.pairs} (teacher, student) pair(s) with an active booking and no chat room (${h.missing.bookings} booking(s))`);
  if (h.blockedByDeleted.pairs) problems.push(`${h.blockedByDeleted.pairs} pair(s) whose only room is soft-deleted: a new room cannot be created`);
  if (h.duplicates.pairs) problems.push(`${h.duplicates.pairs} pair(s) with more than one live room`);
  return problems;
}
