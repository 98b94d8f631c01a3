/**
 * The rules a fix migration's preflight names (`-- bookops:rule <id>`): the rows that would break
 * the key it builds are rows of the audit's own rule, the one its repair resolves, because all
 * three read the same named SQL of the data layer: the audit check of that id reports exactly
 * them, or (0008) they are the part of a check's rule its key concerns (null-candidate-duplicates
 * is outbox.duplicates' duplicate-keys without a candidate). So `migrate up` can never refuse a
 * database the audit calls healthy, and the repair it names always clears it
 * (test/db/migrate/preflight-rules.test.ts).
 */
import type { Findings } from '../data/findings.js';
import * as interviews from '../data/interviews.repository.js';
import * as outbox from '../data/outbox.repository.js';
import * as recruiting from '../data/recruiting.repository.js';
import type { Db } from '../data/sql.js';

export type PreflightRule = (db: Db, sample: number) => Promise<Findings>;

export const PREFLIGHT_RULES: Record<string, PreflightRule> = {
  /** 0002: time slots holding more than one active interview. */
  'interviews.duplicate-active': interviews.duplicateActive,
  /** 0003: candidates holding more than one active slot of one recruiter. */
  'recruiting.double-booking': recruiting.doubleBooking,
  /** 0004: notification logs the fill would give to the slot's current candidate though they are not theirs. */
  'notifications.stale-logs': recruiting.staleLogsNow,
  /** 0008: messages without a candidate enqueued twice for one (type, booking). */
  'outbox.null-candidate-duplicates': outbox.nullCandidateDuplicates,
};
