/**
 * The notification and outbox types the recruiting rules write, defined once (the support
 * commands, the audit and the demo seeder read them from here).
 */

/** notification_logs.type: "this candidate was told". */
export const LOG_TYPES = {
  /** The recruiter approved the slot ("Согласовано") and the candidate was told. */
  approved: 'slot_approved',
  /** The candidate confirmed they will come ("Подтверждаю"). */
  candidateConfirmed: 'candidate_confirmed',
} as const;

/** outbox_notifications.type: the messages to send. */
export const OUTBOX_TYPES = {
  /** To the candidate: the slot is approved, please confirm. */
  approved: 'interview_confirmed',
  /** To the candidate: the booking was rejected. */
  rejected: 'candidate_rejection',
  /** To the candidate: the slot was taken back for a reschedule; pick another one. */
  rescheduled: 'candidate_reschedule',
  /** To the candidate (and the recruiter's chat): confirmation received, with the meeting link. */
  candidateConfirmed: 'candidate_confirmed',
} as const;

/** Reminder jobs scheduled on approve (seed 002: t-2h confirmation request, t-1h reminder). */
export const REMINDERS = [
  { kind: 'confirm_2h', leadMinutes: 120 },
  { kind: 'remind_1h', leadMinutes: 60 },
] as const;

export const LOG_DELIVERY_SENT = 'sent';
