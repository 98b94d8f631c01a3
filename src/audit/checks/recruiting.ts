/**
 * Seed 002's checks: the rules of sql/recruiting (double bookings, overlapping slots, stale
 * notification logs), as the repairs and migrations 0003 and 0004 read them.
 */
import * as recruiting from '../../data/recruiting.repository.js';
import type { CheckDefinition } from '../types.js';
import { asInvoked } from '../../invocation.js';

export const RECRUITING_CHECKS: CheckDefinition[] = [
  {
    id: 'recruiting.double-booking',
    module: 'recruiting',
    tables: ['slots'],
    severity: 'error',
    title: '(candidate, recruiter) pairs holding more than one active slot',
    get repair() {
      return asInvoked('slots resolve-duplicates');
    },
    run: (env) => recruiting.doubleBooking(env.db, env.sample),
  },
  {
    id: 'recruiting.overlapping-slots',
    module: 'recruiting',
    tables: ['slots'],
    severity: 'warn',
    title: 'pairs of overlapping active slots of one recruiter',
    get repair() {
      return asInvoked('slots release <id>');
    },
    run: (env) => recruiting.overlappingSlots(env.db, env.sample),
  },
  {
    id: 'recruiting.slot-status-counts',
    module: 'recruiting',
    tables: ['slots'],
    severity: 'info',
    title: 'slots per status (informational)',
    repair: '-',
    // The count is the number of slots, and the sample lists every status.
    run: async (env) => {
      const statuses = await recruiting.statusCounts(env.db);
      return { count: statuses.reduce((sum, row) => sum + Number(row.slots), 0), sample: statuses, details: { statuses: statuses.length } };
    },
  },
];

/** Listed after the outbox's checks, as docs/CHECKS.md does. */
export const NOTIFICATION_CHECKS: CheckDefinition[] = [
  {
    id: 'notifications.stale-logs',
    module: 'recruiting',
    tables: ['notification_logs', 'slots'],
    severity: 'warn',
    title: "notification logs of a freed slot, or not naming the slot's candidate",
    get repair() {
      return asInvoked('notifications clean-stale');
    },
    // Before migration 0004 only the payload names the candidate; after it the column does too.
    run: async (env) => {
      const { keyed, ...found } = await recruiting.staleLogsNow(env.db, env.sample);
      const candidateFrom = keyed ? 'notification_logs.candidate_tg_id and the payload, which must agree' : 'payload JSON candidate_tg_id (no candidate_tg_id column yet)';
      return { ...found, details: { ...found.details, candidateFrom } };
    },
  },
];
