/** Interview bot (seed 000): the base, and cancelled interviews that block their slot. */
import type { Knex } from 'knex';
import * as demo from '../../data/demo.repository.js';
import { attempt } from '../attempt.js';
import type { SchemaFacts } from '../facts.js';
import type { SeedPlan } from '../plan.js';
import type { PlantResult } from '../types.js';

export async function seedInterviews(trx: Knex.Transaction, plan: SeedPlan): Promise<void> {
  const { slots, interviewers } = plan.interviews;
  await demo.step(trx, 'interviews-base', { slots, interviewers });
}

export async function plantInterviews(trx: Knex.Transaction, plan: SeedPlan, facts: SchemaFacts): Promise<PlantResult> {
  const { interviewers, cancelledBlocking, duplicateActiveTries } = plan.interviews;
  const [cancelled] = await demo.step<{ count: number; slot_id: number; user_tg_id: number }>(trx, 'interviews-cancelled', {
    count: cancelledBlocking,
    interviewers,
  });
  const dup = await attempt(trx, (sp) => demo.step<{ count: number }>(sp, 'interviews-duplicate-active', { count: duplicateActiveTries }));
  return {
    planted: {
      'interviews.cancelled-blocking': facts.cancelledBlocks
        ? { count: cancelled.count, note: 'cancelled interviews blocking otherwise free slots (seed 000)' }
        : { count: 0, note: `none: ${cancelled.count} cancelled planted, but the unique index has a predicate here` },
      'interviews.duplicate-active': dup.ok
        ? { count: dup.value[0].count, note: 'a second active interview on a booked slot' }
        : { count: 0, note: `none: ${dup.reason}` },
    },
    samples: { cancelledSlot: { slotId: cancelled.slot_id, userTgId: cancelled.user_tg_id } },
  };
}
