/** What the target schema allows, read from the catalog before planting. */
import type { Knex } from 'knex';
import * as demo from '../data/demo.repository.js';

export interface SchemaFacts {
  /** A unique constraint or index on interviews (time_slot_id) without a predicate (seed 000). */
  cancelledBlocks: boolean;
  /** notification_logs has the fix's candidate_tg_id column (seed 002). */
  logCandidateColumn: boolean;
}

export async function schemaFacts(db: Knex | Knex.Transaction): Promise<SchemaFacts> {
  const [row] = await demo.step<{ cancelled_blocks: boolean; log_candidate_column: boolean }>(db, 'schema-facts');
  return { cancelledBlocks: row.cancelled_blocks, logCandidateColumn: row.log_candidate_column };
}
