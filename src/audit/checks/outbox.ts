/** Seed 001's checks: the rules of sql/outbox/rules.sql, as `outbox stats`, the repairs and migration 0008 read them. */
import * as outbox from '../../data/outbox.repository.js';
import { STUCK_DEFAULTS } from '../../data/outbox.repository.js';
import type { CheckDefinition } from '../types.js';
import { asInvoked } from '../../invocation.js';

export const OUTBOX_CHECKS: CheckDefinition[] = [
  {
    id: 'outbox.duplicates',
    module: 'recruiting',
    tables: ['outbox_notifications'],
    severity: 'error',
    title: 'outbox keys (type, booking_id, candidate_tg_id) with more than one row, NULLs equal',
    get repair() {
      return asInvoked('outbox dedupe');
    },
    run: (env) => outbox.duplicates(env.db, env.sample),
  },
  {
    id: 'outbox.stuck',
    module: 'recruiting',
    tables: ['outbox_notifications'],
    severity: 'warn',
    title: 'outbox rows stuck pending or locked',
    get repair() {
      return asInvoked('outbox requeue <id...>');
    },
    thresholds: [
      { name: 'locked-for', kind: 'duration', default: STUCK_DEFAULTS.lockedForMs, description: 'a pending row locked longer ago than this is stuck' },
      {
        name: 'pending-for',
        kind: 'duration',
        default: STUCK_DEFAULTS.pendingForMs,
        description: 'an unlocked pending row due (next_retry_at, else created_at) longer ago than this is stuck',
      },
    ],
    run: (env) => outbox.stuck(env.db, { lockedForMs: env.thresholds['locked-for'], pendingForMs: env.thresholds['pending-for'] }, env.sample),
  },
  {
    id: 'outbox.failed',
    module: 'recruiting',
    tables: ['outbox_notifications'],
    severity: 'warn',
    title: 'failed outbox rows past their last attempt',
    get repair() {
      return asInvoked('outbox retry-failed');
    },
    run: (env) => outbox.failed(env.db, env.sample),
  },
];
