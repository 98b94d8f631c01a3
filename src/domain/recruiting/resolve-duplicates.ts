/**
 * Double bookings (seed 002 P1, audit recruiting.double-booking): a candidate holding several
 * active slots of one recruiter keeps one and the others are released through the reject rule
 * (the candidate is told, logs and reminder jobs of the released slots go). Which one is kept:
 * the rule of sql/recruiting/slots.sql double-booked-slots (the most advanced status, then the
 * earliest start, then the lowest id), unless support names the slot (--keep) or picks it (a
 * chooser the command passes when a person is at a terminal).
 */
import type { Applier } from '../../archive/applier.js';
import { chunks } from '../../archive/applier.js';
import type { ShownStatement } from '../../archive/changes.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { DoubleBookedSlot } from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { UsageError } from '../../errors.js';
import { archiving, tally } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { requireId } from '../validate.js';
import { planRejectSlot, rejectSlot } from './reject-slot.js';
import { lockSlot } from './slot.js';
import { countSuperseded, describeSuperseded, previewSuperseded, supersededOnRelease, type SupersedePreview } from './supersede-messages.js';

export const KEEP_RULE = 'keep the most advanced status (confirmed_by_candidate, then booked, then pending), then the earliest start, then the lowest id';

export interface DuplicateGroup {
  candidateTgId: number;
  recruiterId: number;
  /** The pair's active slots, the one the rule keeps first. */
  slots: DoubleBookedSlot[];
  keep: number;
  keptBy: 'rule' | '--keep' | 'prompt';
  release: number[];
}

export interface ResolveInput {
  /** Slots to keep (one per candidate); the other candidates follow the rule or the chooser. */
  keep?: number[];
  /** Asks which slot a candidate keeps (a prompt); absent: the rule decides. */
  choose?: (group: DuplicateGroup) => Promise<number>;
  /** Candidates per committed transaction. */
  batchSize?: number;
  sample?: number;
}

export interface ResolvePlan extends PlanBase {
  rule: string;
  groups: DuplicateGroup[];
  /** The released candidates' earlier outbox messages about those slots, superseded (archived). */
  superseded: SupersedePreview;
  batchSize: number;
  steps: string[];
  statements: ShownStatement[];
}

export interface Released {
  slotId: number;
  candidateTgId: number;
  outboxId: number | null;
  archivedLogs: number;
  archivedReminders: number;
  /** The candidate's earlier outbox messages about the slot, archived. */
  superseded: SupersedePreview;
}

export interface ResolveOutcome {
  released: Released[];
  /** Slots left alone because the situation changed since the plan (kept slot gone, slot no longer theirs). */
  skipped: Array<{ slotId: number; why: string }>;
  batches: number;
}

export async function planResolveDuplicates(db: Db, input: ResolveInput): Promise<ResolvePlan> {
  const groups = groupPairs(await recruiting.doubleBookedSlots(db));
  const keep = new Set((input.keep ?? []).map((id) => requireId('--keep', id)));
  checkKeep(groups, keep);
  for (const g of groups) {
    const named = g.slots.filter((s) => keep.has(s.id));
    if (named.length === 1) {
      g.keep = named[0].id;
      g.keptBy = '--keep';
    } else if (input.choose) {
      g.keep = await input.choose(g);
      g.keptBy = 'prompt';
    }
    g.release = g.slots.filter((s) => s.id !== g.keep).map((s) => s.id);
  }
  const releases = groups.flatMap((g) => g.release.map((slotId) => ({ slotId, candidateTgId: g.candidateTgId })));
  const superseded = await previewSuperseded(db, releases, supersededOnRelease(true));
  const kept = groups.map((g) => g.keep);
  const summary =
    groups.length === 0
      ? 'no candidate holds more than one active slot of a recruiter'
      : `release ${releases.length} slot(s) of ${groups.length} candidate(s) holding several active slots of one recruiter, keeping slot(s) ${shortList(kept).join(', ')}; each released candidate is told (candidate_rejection)` +
        (superseded.messages ? `; archived too: ${describeSuperseded(superseded, 'those candidates about the released slots')}` : '');
  // The first release's statements stand for every release's: the same rule, other ids.
  // Each release frees its slot, archives its logs and jobs and the candidate's earlier messages.
  const children = await recruiting.childrenOfSlots(db, releases.map((r) => r.slotId));
  const archives = tally(
    archiving('slots', 'update', releases.length),
    archiving('notification_logs', 'delete', children.logs),
    archiving('slot_reminder_jobs', 'delete', children.jobs),
    archiving('outbox_notifications', 'delete', superseded.messages),
  );
  const first = releases[0] ? await planRejectSlot(db, { slotId: releases[0].slotId, reason: 'reject', candidateTgId: releases[0].candidateTgId }, { sample: 0 }) : undefined;
  return {
    summary,
    empty: groups.length === 0,
    archives,
    rule: KEEP_RULE,
    groups,
    superseded,
    batchSize: input.batchSize ?? 50,
    sample: {
      table: 'slots',
      total: groups.reduce((n, g) => n + g.slots.length, 0),
      rows: groups.flatMap((g) =>
        g.slots.map((s) => ({ candidate_tg_id: s.candidate_tg_id, recruiter_id: s.recruiter_id, slot: s.id, status: s.status, start_utc: s.start_utc, keep: s.id === g.keep ? `keep (${g.keptBy})` : 'release' })),
      ),
    },
    steps: [
      `per candidate: lock the kept slot and check it is still theirs and active (else leave the candidate alone)`,
      `per released slot: lock it, check it is still the candidate's, then reject it (free, logs and reminder jobs archived, the candidate's earlier outbox messages about it archived (${superseded.messages} in all), candidate_rejection enqueued)`,
    ],
    statements: first ? first.statements.map((s, i) => (i === 0 ? { ...s, note: `the first release (slot ${first.slot.id}); every release runs the same statements: ${s.note ?? ''}` } : s)) : [],
  };
}

export async function applyResolveDuplicates(applier: Applier, plan: ResolvePlan): Promise<ResolveOutcome> {
  const outcome: ResolveOutcome = { released: [], skipped: [], batches: 0 };
  const total = plan.groups.reduce((n, g) => n + g.release.length, 0);
  for (const batch of chunks(plan.groups, plan.batchSize)) {
    await applier.transaction(async (trx, op) => {
      for (const g of batch) {
        // Under the locks, the situation must still be the one planned: else the candidate is left alone.
        const kept = await lockSlot(trx, g.keep);
        if (!kept.active || kept.candidate_tg_id !== g.candidateTgId) {
          g.release.forEach((slotId) => outcome.skipped.push({ slotId, why: `kept slot ${g.keep} is no longer candidate ${g.candidateTgId}'s` }));
          continue;
        }
        for (const slotId of g.release) {
          const slot = await lockSlot(trx, slotId);
          if (!slot.active || slot.candidate_tg_id !== g.candidateTgId) {
            outcome.skipped.push({ slotId, why: `no longer held by candidate ${g.candidateTgId}` });
            continue;
          }
          const r = await rejectSlot(trx, op, { slotId, reason: 'reject', candidateTgId: g.candidateTgId });
          outcome.released.push({
            slotId,
            candidateTgId: g.candidateTgId,
            outboxId: r.outbox?.row.id ?? null,
            archivedLogs: r.archivedLogs.length,
            archivedReminders: r.archivedReminders.length,
            superseded: countSuperseded(r.supersededMessages),
          });
        }
      }
    });
    outcome.batches += 1;
    applier.progress(outcome.released.length + outcome.skipped.length, total);
  }
  return outcome;
}

function groupPairs(rows: DoubleBookedSlot[]): DuplicateGroup[] {
  const byPair = new Map<string, DuplicateGroup>();
  for (const slot of [...rows].sort((a, b) => a.recruiter_id - b.recruiter_id || a.candidate_tg_id - b.candidate_tg_id || a.keep_rank - b.keep_rank)) {
    const key = `${slot.candidate_tg_id}/${slot.recruiter_id}`;
    let g = byPair.get(key);
    if (!g) {
      g = { candidateTgId: slot.candidate_tg_id, recruiterId: slot.recruiter_id, slots: [], keep: slot.id, keptBy: 'rule', release: [] };
      byPair.set(key, g);
    }
    g.slots.push(slot);
    if (slot.keep_rank === 1) g.keep = slot.id;
  }
  return [...byPair.values()];
}

function checkKeep(groups: DuplicateGroup[], keep: Set<number>): void {
  const known = new Map(groups.flatMap((g) => g.slots.map((s) => [s.id, g] as const)));
  for (const id of keep) {
    if (!known.has(id)) throw new UsageError(`--keep ${id}: slot ${id} is not one of several active slots a candidate holds with one recruiter`);
  }
  for (const g of groups) {
    const named = g.slots.filter((s) => keep.has(s.id)).map((s) => s.id);
    if (named.length > 1) throw new UsageError(`--keep names ${named.join(' and ')}, both of candidate ${g.candidateTgId} with recruiter ${g.recruiterId}: keep one`);
  }
}

/** Long id lists are cut after 20. */
export function shortList(ids: Array<number | string>): Array<number | string> {
  return ids.length > 20 ? [...ids.slice(0, 20), `… ${ids.length - 20} more`] : ids;
}

export const resolveDuplicatesRule: DestructiveRule<ResolveInput, ResolvePlan, ResolveOutcome> = {
  action: 'slots.resolve-duplicates',
  doing: 'releasing double-booked slots',
  async plan(db, input) {
    await requireModule(db, 'recruiting');
    return planResolveDuplicates(db, input);
  },
  apply: applyResolveDuplicates,
  summary: (r, plan) => ({ released: r.released.map((x) => x.slotId), kept: plan.groups.map((g) => g.keep), skipped: r.skipped }),
};
