/**
 * A candidate reserves a free slot (seeds 001/002). One conditional UPDATE decides: the slot is
 * free and the candidate holds no active slot of the recruiter (pending, booked,
 * confirmed_by_candidate, any letter case). Concurrent reservations by one candidate queue on
 * an advisory lock of the candidate first, so the second part holds without the unique partial
 * index on (candidate_tg_id, recruiter_id) too; the index stops every other writer.
 */
import type { Knex } from 'knex';
import { show, type ShownStatement } from '../../archive/changes.js';
import { translated } from '../../data/db.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { ReserveParams, SlotRow } from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { optionalText, requireId, requireTgId } from '../validate.js';

export interface ReserveSlotInput {
  slotId: number;
  candidateTgId: number;
  candidateName?: string | null;
  candidateTz?: string | null;
}

export interface ReserveSlotResult {
  slot: SlotRow;
  /** False when the candidate already held this very slot (a repeated click): nothing changed. */
  reserved: boolean;
}

export async function reserveSlot(trx: Knex.Transaction, input: ReserveSlotInput): Promise<ReserveSlotResult> {
  const params = {
    slotId: requireId('slotId', input.slotId),
    candidateTgId: requireTgId('candidateTgId', input.candidateTgId),
    candidateName: optionalText('candidateName', input.candidateName, 255),
    candidateTz: optionalText('candidateTz', input.candidateTz, 64),
  };
  const holdsAnother = (otherSlotId: number | null, cause?: unknown) =>
    new ConflictError(
      `candidate ${params.candidateTgId} already holds ${otherSlotId === null ? 'another slot' : `slot ${otherSlotId}`} of this recruiter (one active slot per recruiter)`,
      { cause, details: { slotId: params.slotId, candidateTgId: params.candidateTgId, otherSlotId, reason: 'holds_another' } },
    );
  return translated(
    async () => {
      await recruiting.lockCandidate(trx, params.candidateTgId);
      const slot = await recruiting.reserve(trx, params);
      if (slot) return { slot, reserved: true };
      const why = await recruiting.explainReservation(trx, params);
      if (!why) throw new NotFoundError(`slot ${params.slotId} does not exist`);
      if (why.active && Number(why.candidate_tg_id) === params.candidateTgId) {
        return { slot: (await recruiting.slotRow(trx, params.slotId))!, reserved: false };
      }
      if (why.other_slot_id !== null) throw holdsAnother(why.other_slot_id);
      throw new ConflictError(`slot ${params.slotId} is taken (status '${why.status}')`, {
        details: { slotId: params.slotId, status: why.status, reason: 'taken' },
      });
    },
    {
      // Concurrent reservations by one candidate of two slots of one recruiter: the index stopped
      // the later one. (The primary key cannot fire on an UPDATE of these columns.)
      [SQLSTATE.UNIQUE_VIOLATION]: (err) => holdsAnother(null, err),
    },
  );
}

/** The reservation's statement (--dry-run). */
export function shownReserve(db: Db, params: ReserveParams): ShownStatement {
  return show(db, recruiting.reserveStatement(params), `reserve for candidate ${params.candidateTgId} (only while it is free and they hold no other active slot of the recruiter)`);
}
