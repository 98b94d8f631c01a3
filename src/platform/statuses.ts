/**
 * The one status vocabulary of the platform: what counts as active, free, cancelled, pending,
 * sent. Every rule, check, repair and migration predicate reads these lists, never a second
 * hard-coded copy: SQL receives them as the parameters of VOCABULARY (every query gets them, see
 * src/data/sql.ts), migrations as the :'variables' of the same names. Statuses are compared
 * lower-cased, because production writers disagree on letter case.
 */

/** interviews.status values that hold a time slot (seed 000). */
export const INTERVIEW_ACTIVE = ['pending', 'confirmed'] as const;
export const INTERVIEW_CANCELLED = 'cancelled';

/** slots.status values that hold a slot for a candidate (seed 002: confirmed_by_candidate too). */
export const SLOT_ACTIVE = ['pending', 'booked', 'confirmed_by_candidate'] as const;
export const SLOT_FREE = 'free';
/** The steps of a reservation: reserved by the candidate, approved by the recruiter, confirmed by the candidate. */
export const SLOT_PENDING = 'pending';
export const SLOT_BOOKED = 'booked';
export const SLOT_CONFIRMED_BY_CANDIDATE = 'confirmed_by_candidate';
export const SLOT_STATUSES = ['free', 'pending', 'booked', 'confirmed_by_candidate', 'canceled'] as const;

/** outbox_notifications.status (seed 001). */
export const OUTBOX_PENDING = 'pending';
export const OUTBOX_SENT = 'sent';
export const OUTBOX_FAILED = 'failed';

/** bookings.status that must have a chat room (seed 004). */
export const BOOKING_ACTIVE = 'active';

/** Whether a status (any letter case) is one of a list. */
export function isStatus(status: string | null | undefined, ...wanted: ReadonlyArray<string | readonly string[]>): boolean {
  const s = (status ?? '').toLowerCase();
  return wanted.some((w) => (typeof w === 'string' ? w === s : w.includes(s)));
}

/**
 * The vocabulary as query parameters, one naming scheme (:<table><Status>): SQL reads
 * `lower(s.status) = ANY(:slotActive)`, `lower(o.status) = :outboxPending`. Lists are plain
 * mutable arrays, as pg wants them.
 */
export const STATUS_PARAMS = {
  interviewActive: [...INTERVIEW_ACTIVE],
  interviewCancelled: INTERVIEW_CANCELLED,
  slotActive: [...SLOT_ACTIVE],
  slotFree: SLOT_FREE,
  slotPending: SLOT_PENDING,
  slotBooked: SLOT_BOOKED,
  slotConfirmedByCandidate: SLOT_CONFIRMED_BY_CANDIDATE,
  slotStatuses: [...SLOT_STATUSES],
  outboxPending: OUTBOX_PENDING,
  outboxSent: OUTBOX_SENT,
  outboxFailed: OUTBOX_FAILED,
  bookingActive: BOOKING_ACTIVE,
};
