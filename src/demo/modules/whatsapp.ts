/** WhatsApp bot (seed 003): numbers with bots, conversations, messages and broadcasts. */
import type { Knex } from 'knex';
import * as demo from '../../data/demo.repository.js';
import { attempt } from '../attempt.js';
import type { SeedPlan } from '../plan.js';
import type { PlantResult } from '../types.js';

export async function seedWhatsapp(trx: Knex.Transaction, plan: SeedPlan): Promise<string> {
  const w = plan.whatsapp;
  const [first] = await demo.step<{ phone_number: string }>(trx, 'whatsapp-numbers', {
    numbers: w.numbers,
    broadcasts: w.broadcasts,
    recipients: w.recipientsPerBroadcast,
  });
  await demo.step(trx, 'whatsapp-conversations', { numbers: w.numbers, conversations: w.conversations });
  return first.phone_number;
}

/** The one WhatsApp data defect, orphans, needs a schema without the foreign keys. */
export async function plantWhatsapp(trx: Knex.Transaction): Promise<PlantResult> {
  const orphans = await attempt(trx, (sp) => demo.step<{ count: number }>(sp, 'whatsapp-orphans'));
  return {
    planted: {
      'whatsapp.orphans': orphans.ok
        ? { count: orphans.value[0].count, note: 'bots, conversations, broadcasts, messages, recipients without a parent' }
        : { count: 0, note: `none: ${orphans.reason}` },
    },
    samples: {},
  };
}
