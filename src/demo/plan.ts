/**
 * How much `bookops demo seed --scale N` creates. Every size and every planted count is a pure
 * function of N, decided here once: the SQL receives these numbers as parameters, the report
 * and docs/DEMO.md explain them, and the tests recompute them. Nothing structural is random.
 */

export const MIN_SCALE = 1;
export const MAX_SCALE = 10_000_000;

/** max(1, floor(n / d)): at least one of everything, whatever the scale. */
export const per = (n: number, d: number): number => Math.max(1, Math.floor(n / d));

export interface SeedPlan {
  scale: number;
  interviews: {
    /** time_slots of the healthy base; 60% carry one active interview. */
    slots: number;
    interviewers: number;
    /** Extra slots, each holding one cancelled interview and nothing else. */
    cancelledBlocking: number;
    /** Second active interviews tried on slots that already have one (the legacy UNIQUE refuses). */
    duplicateActiveTries: number;
  };
  recruiting: {
    recruiters: number;
    /** Base slots per recruiter are laid out eight a working day (09:00 to 17:00 UTC). */
    slots: number;
    slotDays: number;
    doubleBooking: number;
    overlapping: number;
    staleFreedSlots: number;
    /** Logs per freed slot (slot_approved and reminder_sent of the candidate who left). */
    staleLogsPerFreedSlot: number;
    stalePreviousCandidate: number;
    outboxDuplicates: number;
    outboxStuck: number;
    outboxFailed: number;
  };
  whatsapp: {
    numbers: number;
    conversations: number;
    broadcasts: number;
    recipientsPerBroadcast: number;
  };
  lessons: {
    teachers: number;
    /** (teacher, student) pairs of the base; each has a chat room and about four lessons. */
    pairs: number;
    students: number;
    lessons: number;
    missing: number;
    blocked: number;
    selfRooms: number;
    /** Decoys: active bookings of a teacher with themself, no room (must not count as missing). */
    selfBookings: number;
    /** Decoys per kind: active booking on a soft-deleted lesson, soft-deleted active booking. */
    decoys: number;
  };
}

export function seedPlan(scale: number): SeedPlan {
  const n = scale;
  const recruiters = per(n, 200);
  const pairs = per(n, 4);
  return {
    scale: n,
    interviews: {
      slots: n,
      interviewers: per(n, 100),
      cancelledBlocking: per(n, 50),
      duplicateActiveTries: per(n, 500),
    },
    recruiting: {
      recruiters,
      slots: n,
      slotDays: Math.ceil(Math.ceil(n / recruiters) / 8),
      doubleBooking: per(n, 200),
      overlapping: per(n, 250),
      staleFreedSlots: per(n, 200),
      staleLogsPerFreedSlot: 2,
      stalePreviousCandidate: per(n, 250),
      outboxDuplicates: per(n, 125),
      outboxStuck: per(n, 100),
      outboxFailed: per(n, 80),
    },
    whatsapp: {
      numbers: Math.max(2, Math.floor(n / 500)),
      conversations: n,
      broadcasts: per(n, 100),
      recipientsPerBroadcast: 50,
    },
    lessons: {
      // Three teachers at least: a student's three pairs need three different teachers, and
      // the self-room and self-booking teachers must be different people.
      teachers: Math.max(3, Math.floor(n / 100)),
      pairs,
      students: Math.ceil(pairs / 3),
      lessons: n,
      missing: per(n, 100),
      blocked: per(n, 200),
      selfRooms: per(n, 500),
      selfBookings: per(n, 500),
      decoys: per(n, 500),
    },
  };
}
