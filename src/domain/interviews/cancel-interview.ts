/**
 * Cancelling an interview keeps the row: status 'cancelled' and cancelled_at, the history the
 * seed wanted to keep. Cancelling twice is not an error (the second call reports it).
 */
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../../errors.js';
import { runSql } from '../../data/sql-files.js';
import { INTERVIEW_CANCELLED, params as statusParams } from '../statuses.js';
import { rule } from '../db.js';
import { requireId } from '../validate.js';
import type { InterviewRow } from './types.js';

export interface CancelInterviewResult {
  interview: InterviewRow;
  /** It was already cancelled; nothing changed. */
  alreadyCancelled: boolean;
}

export async function cancelInterview(trx: Knex.Transaction, input: { interviewId: number }): Promise<CancelInterviewResult> {
  const interviewId = requireId('interviewId', input.interviewId);
  const p = { interviewId, cancelledStatus: INTERVIEW_CANCELLED, interviewActive: statusParams.interviewActive };
  return rule(async () => {
    const [cancelled] = await runSql<InterviewRow>(trx, 'interviews/cancel', p);
    if (cancelled) return { interview: cancelled, alreadyCancelled: false };
    const [row] = await runSql<InterviewRow>(trx, 'interviews/find-interview', p);
    if (!row) throw new NotFoundError(`interview ${interviewId} does not exist`);
    if ((row.status ?? '').toLowerCase() === INTERVIEW_CANCELLED) return { interview: row, alreadyCancelled: true };
    throw new ConflictError(`interview ${interviewId} has status '${row.status}' and cannot be cancelled`, {
      details: { interviewId, status: row.status },
    });
  });
}
