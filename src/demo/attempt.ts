/**
 * Planting a defect the schema may forbid: run it in a savepoint, and when the database refuses
 * it with an integrity error (a fix migration's unique index, a foreign key, a check), roll the
 * savepoint back and say why, so the seeding goes on and reports 0 for that defect.
 */
import type { Knex } from 'knex';
import { isPgError, pgMessage } from '../data/pg-errors.js';

export type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string };

export async function attempt<T>(trx: Knex.Transaction, fn: (sp: Knex.Transaction) => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await trx.transaction(fn) };
  } catch (err) {
    // Class 23: integrity constraint violation (unique, foreign key, check, exclusion).
    if (isPgError(err) && err.code?.startsWith('23')) {
      const e = err as { constraint?: string };
      return { ok: false, reason: e.constraint ? `refused by ${e.constraint}` : pgMessage(err) };
    }
    throw err;
  }
}
