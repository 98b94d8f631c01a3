/**
 * What counts as active, in one place. Every rule, check, repair and migration predicate uses
 * these lists (SQL receives them as parameters, migrations as :'variables'); statuses are
 * compared lower-cased because production writers disagree on letter case.
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

/** Mutable copies for query parameters (pg wants plain arrays). */
export const params = {
  interviewActive: [...INTERVIEW_ACTIVE],
  slotActive: [...SLOT_ACTIVE],
};
