/**
 * Data and helpers for the support command tests (test/support-*.test.ts): rows planted the
 * way the bots wrote them (legacy payloads, upper-case statuses), the binary run against a test
 * database, and whole-table snapshots to prove "nothing changed" and "restored row for row".
 */
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';
import type { TestDatabase } from './helpers/db.js';
import { all, one } from './helpers/domain-fixtures.js';

export const INTERVIEW_TABLES = ['time_slots', 'interviews'];
export const RECRUITING_TABLES = ['recruiters', 'slots', 'slot_reminder_jobs', 'notification_logs', 'outbox_notifications'];
export const WHATSAPP_TABLES = ['whatsapp_numbers', 'bots', 'conversations', 'whatsapp_messages', 'broadcasts', 'broadcast_recipients'];
export const ALL_TABLES = [...INTERVIEW_TABLES, ...RECRUITING_TABLES, ...WHATSAPP_TABLES];

/** Runs bookops against the test database. */
export function cli(t: TestDatabase, ...args: string[]): Promise<CliResult> {
  return runCli(['--db', t.url, ...args]);
}

/** Runs bookops with --json and returns the parsed document (asserting exit 0). */
export async function cliJson<T = any>(t: TestDatabase, ...args: string[]): Promise<T> {
  const r = await runCli(['--db', t.url, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** An error as a user sees it: the documented code and exactly one line on stderr. */
export function expectOneLineError(r: CliResult, code: number, text?: string | RegExp): void {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^bookops: /);
  if (text) expect(lines[0]).toMatch(text);
}

/** Every row of every table as sorted JSON text (to_jsonb), keyed by table. */
export async function tables(db: Knex, names: string[] = ALL_TABLES): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const { rows } = await db.raw(`SELECT to_jsonb(t)::text AS r FROM ${name} AS t`);
    out[name] = rows.map((r: { r: string }) => r.r).sort();
  }
  return out;
}

/** Rows archived by an operation per table and change ({ 'interviews:deleted': 3 }). */
export async function archived(db: Knex, op: number): Promise<Record<string, number>> {
  const rows = await all<{ k: string; n: number }>(
    db,
    `SELECT table_name || ':' || change AS k, count(*)::int AS n FROM bookops_archive_rows WHERE operation_id = :op GROUP BY 1`,
    { op },
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

export async function count(db: Knex | Knex.Transaction, sql: string, params: Record<string, unknown> = {}): Promise<number> {
  return Number((await one<{ n: number }>(db, `SELECT (${sql})::int AS n`, params)).n);
}

// interviews ------------------------------------------------------------------------------

let slotHour = 0;
export async function addTimeSlot(db: Knex): Promise<number> {
  slotHour += 1;
  const r = await one<{ id: number }>(
    db,
    `INSERT INTO time_slots (interviewer_id, start_time, end_time)
     VALUES (7, date_trunc('hour', localtimestamp) + make_interval(hours => 24 + :h), date_trunc('hour', localtimestamp) + make_interval(hours => 25 + :h))
     RETURNING id`,
    { h: slotHour },
  );
  return r.id;
}

/** An interview as the bot writes it; a cancelled one `cancelledDaysAgo` days ago. */
export async function addInterview(db: Knex, slotId: number, user: number, status: string, cancelledDaysAgo = 1): Promise<number> {
  const r = await one<{ id: number }>(
    db,
    `INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, cancelled_at)
     VALUES (:slotId, 7, :user, :status, CASE WHEN lower(:status) = 'cancelled' THEN localtimestamp - make_interval(days => :days) END)
     RETURNING id`,
    { slotId, user, status, days: cancelledDaysAgo },
  );
  return r.id;
}

// recruiting ------------------------------------------------------------------------------

/** A notification log as the bots wrote it: the candidate in the JSON payload (and the column after 0004). */
export async function addLog(db: Knex, slotId: number, candidate: number | null, type = 'slot_approved', keyed = false): Promise<number> {
  const payload = JSON.stringify(candidate === null ? { slot_id: slotId } : { slot_id: slotId, candidate_tg_id: candidate });
  const r = keyed
    ? await one<{ id: number }>(
        db,
        `INSERT INTO notification_logs (booking_id, type, payload, candidate_tg_id) VALUES (:slotId, :type, :payload, :candidate) RETURNING id`,
        { slotId, type, payload, candidate },
      )
    : await one<{ id: number }>(db, `INSERT INTO notification_logs (booking_id, type, payload) VALUES (:slotId, :type, :payload) RETURNING id`, {
        slotId,
        type,
        payload,
      });
  return r.id;
}

export async function addJob(db: Knex, slotId: number, kind: string): Promise<void> {
  await db.raw(`INSERT INTO slot_reminder_jobs (slot_id, kind, job_id, scheduled_at) VALUES (:slotId, :kind, :jobId, now() + interval '1 day')`, {
    slotId,
    kind,
    jobId: `legacy-${slotId}-${kind}-${Math.random().toString(36).slice(2)}`,
  });
}

export interface OutboxSpec {
  type?: string;
  bookingId?: number | null;
  candidate?: number | null;
  status?: string;
  lockedMinutesAgo?: number | null;
  retryInMinutes?: number | null;
  createdHoursAgo?: number;
}

export async function addOutbox(db: Knex, spec: OutboxSpec = {}): Promise<number> {
  const r = await one<{ id: number }>(
    db,
    `INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id, status, attempts, last_error, created_at, locked_at, next_retry_at, payload_json)
     VALUES (:type, :bookingId, :candidate, :status, CASE WHEN lower(:status) = 'failed' THEN 5 ELSE 0 END,
             CASE WHEN lower(:status) = 'failed' THEN 'Bad Request: chat not found' END,
             now() - make_interval(hours => :created),
             CASE WHEN CAST(:locked AS int) IS NULL THEN NULL ELSE now() - make_interval(mins => CAST(:locked AS int)) END,
             CASE WHEN CAST(:retry AS int) IS NULL THEN NULL ELSE now() + make_interval(mins => CAST(:retry AS int)) END,
             '{"slot_id": 1}')
     RETURNING id`,
    {
      type: spec.type ?? 'interview_confirmed',
      bookingId: spec.bookingId ?? null,
      candidate: spec.candidate ?? null,
      status: spec.status ?? 'sent',
      created: spec.createdHoursAgo ?? 2,
      locked: spec.lockedMinutesAgo ?? null,
      retry: spec.retryInMinutes ?? null,
    },
  );
  return r.id;
}

// whatsapp --------------------------------------------------------------------------------

export { NUMBER_ROWS, plantNumber } from './helpers/domain-fixtures.js';

