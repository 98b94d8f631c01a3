/** Seed 000's checks: the rules of sql/interviews/interviews.sql, as the repairs and migration 0002 read them. */
import * as interviews from '../../data/interviews.repository.js';
import type { CheckDefinition } from '../types.js';
import { asInvoked } from '../../invocation.js';

export const INTERVIEW_CHECKS: CheckDefinition[] = [
  {
    id: 'interviews.duplicate-active',
    module: 'interviews',
    tables: ['interviews'],
    severity: 'error',
    title: 'time slots holding more than one active interview',
    get repair() {
      return asInvoked('interviews rebook (or resolve by hand)');
    },
    run: (env) => interviews.duplicateActive(env.db, env.sample),
  },
  {
    id: 'interviews.cancelled-blocking',
    module: 'interviews',
    tables: ['interviews'],
    severity: 'warn',
    title: 'cancelled interviews still blocking their slot under a unique (time_slot_id)',
    get repair() {
      return `${asInvoked('interviews clean-cancelled')}; ${asInvoked('migrate up')}`;
    },
    // They block only while a key without a predicate covers exactly (time_slot_id), whatever its name.
    run: async (env) => interviews.cancelledBlocking(env.db, (await interviews.interviewKeyShape(env.db)).legacyNames, env.sample),
  },
];
