/**
 * The data checks of docs/CHECKS.md, one per offending pattern of the seed incidents. Each is a
 * query in sql/audit/<id>.sql; what counts as active reaches it as a parameter from
 * src/domain/statuses.ts, lower-cased, never as a second hard-coded list.
 */
import {
  BOOKING_ACTIVE,
  INTERVIEW_ACTIVE,
  INTERVIEW_CANCELLED,
  OUTBOX_FAILED,
  OUTBOX_PENDING,
  SLOT_ACTIVE,
  SLOT_FREE,
  SLOT_STATUSES,
} from '../../domain/statuses.js';
import { runSql } from '../../data/sql-files.js';
import { MODULES } from '../../domain/modules.js';
import { logCandidateParams } from '../../domain/recruiting/log-candidate.js';
import { querySample } from '../query.js';
import type { CheckDefinition, CheckEnv, CheckOutcome } from '../types.js';

const lower = (list: readonly string[]) => list.map((s) => s.toLowerCase());

export const STATUS_PARAMS = {
  interviewActive: lower(INTERVIEW_ACTIVE),
  interviewCancelled: INTERVIEW_CANCELLED.toLowerCase(),
  slotActive: lower(SLOT_ACTIVE),
  slotFree: SLOT_FREE.toLowerCase(),
  slotStatuses: lower(SLOT_STATUSES),
  outboxPending: OUTBOX_PENDING.toLowerCase(),
  outboxFailed: OUTBOX_FAILED.toLowerCase(),
  bookingActive: BOOKING_ACTIVE.toLowerCase(),
};

/** A check that is exactly its SQL file, sql/audit/<id>.sql. */
const bySql =
  (file: string, extra: (env: CheckEnv) => Record<string, unknown> = () => ({})) =>
  (env: CheckEnv): Promise<CheckOutcome> =>
    querySample(env.db, `audit/${file}`, { ...STATUS_PARAMS, ...extra(env) }, env.sample);

/**
 * Notification logs: before the fix migration the candidate lives only in the JSON payload text;
 * after it, in the candidate_tg_id column. The column is looked up in pg_attribute.
 */
async function staleLogs(env: CheckEnv): Promise<CheckOutcome> {
  const keyed = await env.catalog.hasColumn(env.db, 'notification_logs', 'candidate_tg_id');
  const outcome = await bySql(keyed ? 'notifications.stale-logs' : 'notifications.stale-logs.payload', () => logCandidateParams)(env);
  const candidateFrom = keyed ? 'notification_logs.candidate_tg_id (else the payload)' : 'payload JSON candidate_tg_id (no candidate_tg_id column yet)';
  return { ...outcome, details: { ...outcome.details, candidateFrom } };
}

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT' };

/** The keys under whatsapp_numbers that block a delete: the walk migration 0005 uses to fix them. */
async function blockingForeignKeys(env: CheckEnv): Promise<CheckOutcome> {
  const rows = await runSql<FkTreeRow>(env.db, 'introspect/fk-tree', { root: 'whatsapp_numbers', tables: MODULES.whatsapp.join(',') });
  const blocking = rows.filter((r) => r.blocks_delete);
  return {
    count: blocking.length,
    sample: blocking.slice(0, env.sample).map((r) => ({
      constraint_name: r.constraint_name,
      table_name: r.table_name,
      references_table: r.ref_table,
      columns: r.columns.join(', '),
      on_delete: ON_DELETE[r.on_delete],
      validated: !r.unvalidated,
    })),
  };
}

interface FkTreeRow {
  constraint_name: string;
  table_name: string;
  columns: string[];
  ref_table: string;
  on_delete: string;
  blocks_delete: boolean;
  unvalidated: boolean;
}

/** Info: slots per status; the count is the number of slots, and the sample lists every status. */
async function slotStatusCounts(env: CheckEnv): Promise<CheckOutcome> {
  const outcome = await bySql('recruiting.slot-status-counts')(env);
  const slots = outcome.sample.reduce((sum, row) => sum + Number(row.slots), 0);
  return { count: slots, sample: outcome.sample, details: { statuses: outcome.count } };
}

export const DATA_CHECKS: CheckDefinition[] = [
  {
    id: 'interviews.duplicate-active',
    module: 'interviews',
    tables: ['interviews'],
    severity: 'error',
    title: 'time slots holding more than one active interview',
    repair: 'bookops interviews rebook (or resolve by hand)',
    run: bySql('interviews.duplicate-active'),
  },
  {
    id: 'interviews.cancelled-blocking',
    module: 'interviews',
    tables: ['interviews'],
    severity: 'warn',
    title: 'cancelled interviews still blocking their slot under a unique (time_slot_id)',
    repair: 'bookops interviews clean-cancelled; bookops migrate up',
    run: bySql('interviews.cancelled-blocking'),
  },
  {
    id: 'recruiting.double-booking',
    module: 'recruiting',
    tables: ['slots'],
    severity: 'error',
    title: '(candidate, recruiter) pairs holding more than one active slot',
    repair: 'bookops slots resolve-duplicates',
    run: bySql('recruiting.double-booking'),
  },
  {
    id: 'recruiting.overlapping-slots',
    module: 'recruiting',
    tables: ['slots'],
    severity: 'warn',
    title: 'pairs of overlapping active slots of one recruiter',
    repair: 'bookops slots release <id>',
    run: bySql('recruiting.overlapping-slots'),
  },
  {
    id: 'recruiting.slot-status-counts',
    module: 'recruiting',
    tables: ['slots'],
    severity: 'info',
    title: 'slots per status (informational)',
    repair: '-',
    run: slotStatusCounts,
  },
  {
    id: 'outbox.duplicates',
    module: 'recruiting',
    tables: ['outbox_notifications'],
    severity: 'error',
    title: 'outbox keys (type, booking_id, candidate_tg_id) with more than one row, NULLs equal',
    repair: 'bookops outbox dedupe',
    run: bySql('outbox.duplicates'),
  },
  {
    id: 'outbox.stuck',
    module: 'recruiting',
    tables: ['outbox_notifications'],
    severity: 'warn',
    title: 'outbox rows stuck pending or locked',
    repair: 'bookops outbox requeue <id...>',
    thresholds: [
      { name: 'locked-for', kind: 'duration', default: 15 * 60_000, description: 'a pending row locked longer ago than this is stuck' },
      {
        name: 'pending-for',
        kind: 'duration',
        default: 60 * 60_000,
        description: 'an unlocked pending row due (next_retry_at, else created_at) longer ago than this is stuck',
      },
    ],
    run: bySql('outbox.stuck', (env) => ({ lockedForMs: env.thresholds['locked-for'], pendingForMs: env.thresholds['pending-for'] })),
  },
  {
    id: 'outbox.failed',
    module: 'recruiting',
    tables: ['outbox_notifications'],
    severity: 'warn',
    title: 'failed outbox rows past their last attempt',
    repair: 'bookops outbox retry-failed',
    run: bySql('outbox.failed'),
  },
  {
    id: 'notifications.stale-logs',
    module: 'recruiting',
    tables: ['notification_logs', 'slots'],
    severity: 'warn',
    title: 'notification logs of a freed slot, or not naming the slot\'s candidate',
    repair: 'bookops notifications clean-stale',
    run: staleLogs,
  },
  {
    id: 'whatsapp.blocking-fks',
    module: 'whatsapp',
    tables: ['whatsapp_numbers'],
    severity: 'error',
    title: 'foreign keys that block deleting a WhatsApp number',
    repair: 'bookops migrate up',
    run: blockingForeignKeys,
  },
  {
    id: 'whatsapp.orphans',
    module: 'whatsapp',
    tables: ['whatsapp_numbers', 'bots', 'conversations', 'whatsapp_messages', 'broadcasts', 'broadcast_recipients'],
    severity: 'error',
    title: 'WhatsApp rows whose parent is gone',
    repair: 'bookops whatsapp delete <number> (or remove by hand)',
    run: bySql('whatsapp.orphans'),
  },
  {
    id: 'chats.missing',
    module: 'lessons',
    tables: ['bookings', 'lessons', 'chat_rooms'],
    severity: 'error',
    title: '(teacher, student) pairs with an active booking and no chat room',
    repair: 'bookops chats verify --backfill',
    run: bySql('chats.missing'),
  },
  {
    id: 'chats.blocked-by-deleted',
    module: 'lessons',
    tables: ['bookings', 'lessons', 'chat_rooms'],
    severity: 'warn',
    title: '(teacher, student) pairs with an active booking and only soft-deleted chat rooms (they block a new one)',
    repair:
      'restore the room (UPDATE chat_rooms SET deleted_at = NULL WHERE id = <deleted_room_ids[0]>: its messages come back with it); only a room without messages can be deleted instead (the messages foreign key keeps one with messages), then bookops chats verify --backfill creates a new one',
    run: bySql('chats.blocked-by-deleted'),
  },
  {
    id: 'chats.duplicates',
    module: 'lessons',
    tables: ['chat_rooms'],
    severity: 'error',
    title: '(teacher, student) pairs with more than one live chat room',
    repair: 'merge by hand (messages reference the room)',
    run: bySql('chats.duplicates'),
  },
  {
    id: 'chats.self-rooms',
    module: 'lessons',
    tables: ['chat_rooms'],
    severity: 'warn',
    title: 'chat rooms of a teacher with themself',
    repair: 'soft-delete by hand',
    run: bySql('chats.self-rooms'),
  },
];
