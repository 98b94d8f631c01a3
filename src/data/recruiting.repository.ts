/**
 * Recruiting (sql/recruiting): slots, notification logs, reminder jobs, and the decision messages
 * of the outbox. The rules of seed 002 are named blocks here: which slot a double-booked
 * candidate keeps (double-booked-slots), which notification log is stale (stale-logs).
 */
import type { Knex } from 'knex';
import { findings, type Findings } from './findings.js';
import { first, rows, run, sql, type Db, type Sql, type Statement } from './sql.js';

export interface SlotRow {
  id: number;
  recruiter_id: number;
  start_utc: Date;
  duration_min: number;
  status: string;
  candidate_tg_id: number | null;
  candidate_fio: string | null;
  candidate_tz: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A slot as lock-slot reads it: with the recruiter's Telegram chat and whether it is active. */
export interface LockedSlot extends SlotRow {
  recruiter_tg_id: number | null;
  active: boolean;
}

export interface NotificationLogRow {
  id: number;
  booking_id: number;
  type: string;
  payload: string | null;
  delivery_status: string;
  created_at: Date;
  /** Only after migration 0004. */
  candidate_tg_id?: number | null;
}

export interface ReminderJobRow {
  id: number;
  slot_id: number;
  kind: string;
  job_id: string;
  scheduled_at: Date;
  created_at: Date;
}

/** What support sees of one slot before a release or reassign. */
export interface SlotState {
  id: number;
  recruiter_id: number;
  recruiter: string;
  recruiter_tg_id: number | null;
  start_utc: Date;
  duration_min: number;
  status: string;
  candidate_tg_id: number | null;
  candidate_fio: string | null;
  active: boolean;
  free: boolean;
  logs: number;
  reminder_jobs: number;
}

const tgId = (v: number | string | null) => (v === null ? null : Number(v));

// ---- slots -------------------------------------------------------------------------------------

/** One slot (alias t). */
export const slot = (): Sql => sql('recruiting/slot');
/** The slots of :slotIds (alias t). */
export const slots = (): Sql => sql('recruiting/slots');
/** Frees a slot (assignments). */
export const free = (): Sql => sql('recruiting/free');
/** Sets a slot's status to :status (assignments). */
export const setStatus = (): Sql => sql('recruiting/set-status');

/** Locks several slots, in id order (missing ones are not returned). */
export async function lockSlots(trx: Knex.Transaction, slotIds: number[]): Promise<LockedSlot[]> {
  const found = await rows<LockedSlot>(trx, sql('recruiting/lock-slots'), { slotIds });
  return found.map((row) => ({ ...row, candidate_tg_id: tgId(row.candidate_tg_id) }));
}

/** Several slots with their recruiter's chat id, unlocked (a plan's look at what lockSlots will lock). */
export async function slotsWithRecruiter(db: Db, slotIds: number[]): Promise<LockedSlot[]> {
  const found = await rows<LockedSlot>(db, sql('recruiting/slots-with-recruiter'), { slotIds });
  return found.map((row) => ({ ...row, candidate_tg_id: tgId(row.candidate_tg_id) }));
}

export async function lockSlot(trx: Knex.Transaction, slotId: number): Promise<LockedSlot | undefined> {
  const row = await first<LockedSlot>(trx, sql('recruiting/lock-slot'), { slotId });
  return row && { ...row, candidate_tg_id: tgId(row.candidate_tg_id) };
}

export async function slotState(db: Db, slotId: number): Promise<SlotState | undefined> {
  const row = await first<SlotState>(db, sql('recruiting/slot-state', { 'slot-logs': await slotLogs(db) }), { slotId, slotIds: [slotId] });
  return row && { ...row, candidate_tg_id: tgId(row.candidate_tg_id) };
}

export function slotRow(db: Db, slotId: number): Promise<SlotRow | undefined> {
  return first<SlotRow>(db, sql('recruiting/row'), { slotId });
}

export async function lockCandidate(trx: Knex.Transaction, candidateTgId: number): Promise<void> {
  await run(trx, sql('recruiting/lock-candidate'), { candidateTgId });
}

export interface ReserveParams {
  slotId: number;
  candidateTgId: number;
  candidateName: string | null;
  candidateTz: string | null;
}

/** The reservation: one statement decides it (the slot free, the candidate holding no other active slot of the recruiter). */
export function reserveStatement(params: ReserveParams): Statement {
  return { sql: sql('recruiting/reserve'), params: { ...params } };
}

export function reserve(trx: Knex.Transaction, params: ReserveParams): Promise<SlotRow | undefined> {
  const statement = reserveStatement(params);
  return first<SlotRow>(trx, statement.sql, statement.params);
}

export function explainReservation(
  trx: Knex.Transaction,
  params: { slotId: number; candidateTgId: number },
): Promise<{ id: number; status: string; candidate_tg_id: number | null; active: boolean; other_slot_id: number | null } | undefined> {
  return first(trx, sql('recruiting/explain-reservation'), params);
}

/** Another active slot of the slot's recruiter held by the candidate. */
export function candidateOtherSlot(db: Db, slotId: number, candidateTgId: number): Promise<{ id: number; status: string } | undefined> {
  return first(db, sql('recruiting/candidate-other-slot'), { slotId, candidateTgId });
}

export interface DoubleBookedSlot {
  id: number;
  recruiter_id: number;
  candidate_tg_id: number;
  candidate_fio: string | null;
  status: string;
  start_utc: Date;
  duration_min: number;
  /** 1: the slot the candidate keeps by the rule. */
  keep_rank: number;
}

/** Every active slot of a double-booked (candidate, recruiter) pair, ranked by the keep rule. */
export async function doubleBookedSlots(db: Db): Promise<DoubleBookedSlot[]> {
  const found = await rows<DoubleBookedSlot>(db, sql('recruiting/double-booked-slots'));
  return found.map((s) => ({ ...s, candidate_tg_id: Number(s.candidate_tg_id) }));
}

/** recruiting.double-booking: the pairs (and migration 0003's preflight). */
export function doubleBooking(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'recruiting/double-booking', {}, sample);
}

/** Whether the slot is still active and still this candidate's (re-checked under its lock). */
export async function holdsActive(trx: Knex.Transaction, slotId: number, candidateTgId: number): Promise<boolean> {
  return Boolean((await first<{ holds: boolean }>(trx, sql('recruiting/holds-active'), { slotId, candidateTgId }))?.holds);
}

/** How many notification logs (read as `logs` reads them: slotLogs) and reminder jobs the slots have: what releasing them archives. */
export async function childrenOfSlots(db: Db, slotIds: number[], logs: Sql): Promise<{ logs: number; jobs: number }> {
  return (await first<{ logs: number; jobs: number }>(db, sql('recruiting/children-of-slots', { 'slot-logs': logs }), { slotIds }))!;
}

export function overlappingSlots(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'recruiting/overlapping-slots', {}, sample);
}

export function statusCounts(db: Db): Promise<Array<{ status: string; slots: number }>> {
  return rows(db, sql('recruiting/status-counts'));
}

// ---- notification logs -----------------------------------------------------------------------

export async function logsHaveCandidateColumn(db: Db): Promise<boolean> {
  return (await first<{ present: boolean }>(db, sql('recruiting/has-candidate-column')))!.present;
}

/** The stale-log rule's slot for the candidate column: the column when the table has one. */
function candidateColumn(keyed: boolean): Record<string, Sql> {
  return { 'candidate-column': sql(keyed ? 'recruiting/candidate-column' : 'recruiting/no-candidate-column') };
}

export interface StaleLogScope {
  /** Logs of this slot only. */
  slotId?: number | null;
  /** Judge the logs against this candidate instead of the slot's own (an approval's). */
  candidateTgId?: number | null;
}

function staleParams(scope: StaleLogScope) {
  return { slotId: scope.slotId ?? null, candidateTgId: scope.candidateTgId ?? null, ids: null };
}

/** notifications.stale-logs: every stale log (the audit check, and migration 0004's preflight). */
export function staleLogs(db: Db, keyed: boolean, sample: number): Promise<Findings> {
  return findings(db, 'recruiting/stale-logs', staleParams({}), sample, candidateColumn(keyed));
}

/** notifications.stale-logs, on the schema as it is now (with or without the candidate column). */
export async function staleLogsNow(db: Db, sample: number): Promise<Findings & { keyed: boolean }> {
  const keyed = await logsHaveCandidateColumn(db);
  return { ...(await staleLogs(db, keyed, sample)), keyed };
}

/** The stale logs as a predicate (alias t): what the repair and the approval rule archive. */
export function stale(keyed: boolean, scope: StaleLogScope): { where: Sql; params: Record<string, unknown> } {
  return { where: sql('recruiting/stale', candidateColumn(keyed)), params: staleParams(scope) };
}

/** notifications clean-stale's plan: every stale log id, in one scan. */
export function staleLogIdsStatement(keyed: boolean, scope: StaleLogScope): Statement {
  const found = sql('recruiting/stale-log-ids-found', candidateColumn(keyed));
  return { sql: sql('recruiting/stale-log-ids', { ...candidateColumn(keyed), found }), params: staleParams(scope) };
}

/**
 * Every log of the slots of :slotIds (alias t), as the table's keys read it best: through a key
 * leading (type, booking_id) when there is one (slot-logs-by-type), else by booking_id alone.
 * Decided when a plan is made; the plan carries it to its apply (and its dry run shows it).
 */
export async function slotLogs(db: Db): Promise<Sql> {
  const { indexed } = (await first<{ indexed: boolean }>(db, sql('recruiting/logs-indexed-by-type')))!;
  return sql(indexed ? 'recruiting/slot-logs-by-type' : 'recruiting/slot-logs');
}

export interface LogParams {
  slotId: number;
  candidateTgId: number;
  type: string;
  deliveryStatus: string;
}

/** Records a log; undefined when the candidate's log of that type is there already. */
export function insertLogStatement(keyed: boolean, params: LogParams): Statement {
  return { sql: sql(keyed ? 'recruiting/insert-log' : 'recruiting/insert-log-legacy'), params: { ...params } };
}

export function findLog(db: Db, params: LogParams): Promise<NotificationLogRow | undefined> {
  return first<NotificationLogRow>(db, sql('recruiting/find-log'), { ...params });
}

// ---- reminder jobs -----------------------------------------------------------------------------

export interface PlannedJob {
  job_id: string;
  kind: string;
  scheduled_at: Date;
}

/** The jobs the slot should have for its candidate now (or for `candidateTgId`, a preview). */
export function reminderPlan(db: Db, slotId: number, candidateTgId: number | null, kinds: ReadonlyArray<{ kind: string; leadMinutes: number }>): Promise<PlannedJob[]> {
  return rows<PlannedJob>(db, sql('recruiting/reminder-plan'), {
    slotId,
    candidateTgId,
    kinds: kinds.map((k) => k.kind),
    leadMinutes: kinds.map((k) => k.leadMinutes),
  });
}

export function insertRemindersStatement(slotId: number, jobs: PlannedJob[]): Statement {
  return {
    sql: sql('recruiting/insert-reminders'),
    params: { slotId, jobIds: jobs.map((j) => j.job_id), kinds: jobs.map((j) => j.kind), scheduledAt: jobs.map((j) => j.scheduled_at) },
  };
}

/** Every job of one slot (alias t). */
export const slotJobs = (): Sql => sql('recruiting/slot-jobs');
/** The slot's jobs other than :keepJobIds (alias t). */
export const staleJobs = (): Sql => sql('recruiting/stale-jobs');

// ---- decision messages ---------------------------------------------------------------------

/** A candidate's outbox messages about a slot, of :types (alias t). */
export const supersededMessages = (): Sql => sql('recruiting/superseded-messages');

export interface DecisionMessageCounts {
  messages: number;
  unsent: number;
  in_flight: number;
}

/** What decisions on these (slot, candidate) pairs would supersede, counted. */
export async function decisionMessages(db: Db, pairs: Array<{ slotId: number; candidateTgId: number }>, types: readonly string[]): Promise<DecisionMessageCounts> {
  return (await first<DecisionMessageCounts>(db, sql('recruiting/decision-messages'), {
    slotIds: pairs.map((p) => p.slotId),
    candidateTgIds: pairs.map((p) => p.candidateTgId),
    types: [...types],
  }))!;
}
