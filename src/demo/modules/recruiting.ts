/** Recruiting bot (seeds 001, 002): the base, double bookings, overlaps, stale logs, outbox trouble. */
import type { Knex } from 'knex';
import * as demo from '../../data/demo.repository.js';
import { attempt, type Attempt } from '../attempt.js';
import type { SchemaFacts } from '../facts.js';
import type { SeedPlan } from '../plan.js';
import type { PlantResult } from '../types.js';

type Row = { count: number; [key: string]: unknown };

export async function seedRecruiting(trx: Knex.Transaction, plan: SeedPlan): Promise<void> {
  const { recruiters, slots, slotDays } = plan.recruiting;
  await demo.step(trx, 'recruiting-slots', { recruiters, slots, slotDays });
  await demo.step(trx, 'recruiting-activity');
}

function counted(result: Attempt<Row[]>, note: string, impossible: string): { count: number; note: string } {
  return result.ok ? { count: result.value[0].count, note } : { count: 0, note: `none: ${result.reason}${impossible ? ` (${impossible})` : ''}` };
}

export async function plantRecruiting(trx: Knex.Transaction, plan: SeedPlan, facts: SchemaFacts): Promise<PlantResult> {
  const r = plan.recruiting;
  const run = (name: string, count: number) =>
    attempt(trx, (sp) => demo.step<Row>(sp, name, { count, recruiters: r.recruiters, slots: r.slots }));

  const double = await run('recruiting-double-booking', r.doubleBooking);
  const overlap = await run('recruiting-overlapping', r.overlapping);
  const freed = await run('recruiting-stale-freed', r.staleFreedSlots);
  const previous = await run('recruiting-stale-previous', r.stalePreviousCandidate);
  const duplicates = await run('outbox-duplicates', r.outboxDuplicates);
  const stuck = await run('outbox-stuck', r.outboxStuck);
  const failed = await run('outbox-failed', r.outboxFailed);
  // The fix keeps the candidate in a column of its own; keep it consistent with the payload.
  if (facts.logCandidateColumn) await demo.step(trx, 'logs-fill-candidate');

  const stale = [freed, previous].map((a) => (a.ok ? a.value[0].count : 0));
  const staleRefused = [freed, previous].filter((a) => !a.ok).map((a) => (a as { reason: string }).reason);
  const first = <T>(a: Attempt<Row[]>, key: string): T | undefined => (a.ok ? (a.value[0][key] as T) ?? undefined : undefined);
  return {
    planted: {
      'recruiting.double-booking': counted(
        double,
        'a confirmed_by_candidate slot plus a second active slot, same recruiter (seed 002)',
        '',
      ),
      'recruiting.overlapping-slots': counted(
        overlap,
        'active slots of one recruiter overlapping in time',
        '',
      ),
      'notifications.stale-logs': {
        count: stale[0] + stale[1],
        note:
          `${stale[0]} logs of freed slots, ${stale[1]} naming a previous candidate (seed 002)` +
          (staleRefused.length ? `; ${staleRefused.join(', ')}` : ''),
      },
      'outbox.duplicates': counted(
        duplicates,
        'keys enqueued two or three times with a NULL candidate (seed 001)',
        '',
      ),
      'outbox.stuck': counted(stuck, 'pending rows locked hours ago or never picked up (seed 001)', ''),
      'outbox.failed': counted(failed, 'failed rows with no retry scheduled (seed 001)', ''),
    },
    samples: {
      doubleBookedCandidateTgId: first<number>(double, 'candidate_tg_id'),
      overlappingSlotId: first<number>(overlap, 'slot_id'),
      staleLogSlotId: first<number>(freed, 'slot_id'),
      stuckOutboxId: first<number>(stuck, 'outbox_id'),
    },
  };
}
