/**
 * Cancelling an interview keeps the row: status 'cancelled' and cancelled_at, the history the
 * seed wanted to keep. Cancelling twice is not an error (the second call reports it).
 */
import type { Knex } from 'knex';
import { translated } from '../../data/db.js';
import * as interviews from '../../data/interviews.repository.js';
import type { InterviewRow } from '../../data/interviews.repository.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { INTERVIEW_CANCELLED, isStatus } from '../../platform/statuses.js';
import { requireId } from '../validate.js';

export interface CancelInterviewResult {
  interview: InterviewRow;
  /** It was already cancelled; nothing changed. */
  alreadyCancelled: boolean;
}

export async function cancelInterview(trx: Knex.Transaction, input: { interviewId: number }): Promise<CancelInterviewResult> {
  const interviewId = requireId('interviewId', input.interviewId);
  return translated(async () => {
    const cancelled = await interviews.cancel(trx, interviewId);
    if (cancelled) return { interview: cancelled, alreadyCancelled: false };
    const row = await interviews.findInterview(trx, interviewId);
    if (!row) throw new NotFoundError(`interview ${interviewId} does not exist`);
    if (isStatus(row.status, INTERVIEW_CANCELLED)) return { interview: row, alreadyCancelled: true };
    throw new ConflictError(`interview ${interviewId} has status '${row.status}' and cannot be cancelled`, {
      details: { interviewId, status: row.status },
    });
  });
}
