/** The seed report: what `bookops demo seed` returns, prints with --json and stores in bookops_demo. */
import type { DemoCheckId, PlantedCount } from './checks.js';

/** Real ids from the demo data, for the "try next" commands. */
export interface DemoSamples {
  /** A time slot blocked by a cancelled interview, and the Telegram id of the user who cancelled. */
  cancelledSlot?: { slotId: number; userTgId: number };
  /** A candidate holding two active slots of one recruiter. */
  doubleBookedCandidateTgId?: number;
  /** The first of the planted overlapping slots. */
  overlappingSlotId?: number;
  /** A freed slot that kept the notification logs of its previous candidate. */
  staleLogSlotId?: number;
  /** A stuck outbox row. */
  stuckOutboxId?: number;
  /** A WhatsApp number with bots, conversations and broadcasts. */
  whatsappNumber?: string;
  /** A (teacher, student) pair with an active booking and no chat room. */
  missingChat?: { teacherId: string; studentId: string };
}

export interface SeedReport {
  /** user@host:port/db, never a password. */
  target: string;
  scale: number;
  seconds: number;
  seededAt: string;
  planted: Record<DemoCheckId, PlantedCount>;
  rows: Record<string, number>;
  samples: DemoSamples;
}

/** What one module's planting found out: counts with notes, and sample ids. */
export interface PlantResult {
  planted: Partial<Record<DemoCheckId, { count: number; note: string }>>;
  samples: DemoSamples;
}
