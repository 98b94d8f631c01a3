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
import type { DoubleBookedSlot, LockedSlot } from '../../data/recruiting.repository.js';
import type { Db, Sql } from '../../data/sql.js';
import { UsageError } from '../../errors.js';
import { archiving, tally } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { requireId } from '../validate.js';
import { PREVIEW_ROWS } from '../preview-rows.js';
import { OUTBOX_TYPES } from '../../platform/messages.js';
import { enqueueOutboxBatch, shownEnqueueBatch, type EnqueueInput } from '../outbox/enqueue.js';
import { applyChanges, statementsOf } from '../planned.js';
import { rejectionMessage, releaseChanges } from './reject-slot.js';
import { countSuperseded, describeSuperseded, previewSuperseded, supersededOf, supersededOnRelease, type SupersedePreview } from './supersede-messages.js';

/** Candidates per committed transaction: each batch reads its slots' notification logs in one statement (recruiting.slotLogs). */
export const DEFAULT_BATCH_SIZE = 500;

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
  /** How every batch reads its slots' notification logs (recruiting.slotLogs), chosen once. */
  slotLogs: Sql;
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
  const releases = releasesOf(groups);
  const superseded = await previewSuperseded(db, releases, supersededOnRelease(true));
  const kept = groups.map((g) => g.keep);
  const summary =
    groups.length === 0
      ? 'no candidate holds more than one active slot of a recruiter'
      : `release ${releases.length} slot(s) of ${groups.length} candidate(s) holding several active slots of one recruiter, keeping slot(s) ${shortList(kept).join(', ')}; each released candidate is told (candidate_rejection)` +
        (superseded.messages ? `; archived too: ${describeSuperseded(superseded, 'those candidates about the released slots')}` : '');
  // The first release's statements stand for every release's: the same rule, other ids.
  // Each release frees its slot, archives its logs and jobs and the candidate's earlier messages.
  const slotLogs = await recruiting.slotLogs(db);
  const children = await recruiting.childrenOfSlots(db, releases.map((r) => r.slotId), slotLogs);
  const archives = tally(
    archiving('slots', 'update', releases.length),
    archiving('notification_logs', 'delete', children.logs),
    archiving('slot_reminder_jobs', 'delete', children.jobs),
    archiving('outbox_notifications', 'delete', superseded.messages),
  );
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  // The first batch's statements, as its apply builds them (the same functions, the same ids);
  // every batch runs the same statements over its own slots.
  const firstBatch = releasesOf(groups.slice(0, batchSize));
  const firstSlots = new Map((await recruiting.slotsWithRecruiter(db, firstBatch.map((r) => r.slotId))).map((s) => [s.id, s]));
  const statements = firstBatch.length
    ? [
        ...statementsOf(db, releaseChanges(firstBatch, true, slotLogs)).map((st, i) =>
          i === 0 ? { ...st, note: `the first batch (${firstBatch.length} slot(s) of ${Math.min(batchSize, groups.length)} candidate(s)); every batch runs the same statements over its slots: ${st.note ?? ''}` } : st,
        ),
        ...shownEnqueueBatch(
          db,
          rejectionsOf(firstBatch, firstSlots),
          `then, in one statement over the batch's released slots: enqueue ${OUTBOX_TYPES.rejected} for each candidate (once per key, whatever its status; a pending one archived first)`,
        ),
      ]
    : [];
  return {
    summary,
    empty: groups.length === 0,
    archives,
    rule: KEEP_RULE,
    groups,
    superseded,
    batchSize,
    slotLogs,
    // The first slots, as every preview shows its first rows: at a million slots the 10,000 of
    // 5,000 pairs drew a 20,000-line table for 20 s (`groups` keeps every one, for --json).
    sample: {
      table: 'slots',
      total: groups.reduce((n, g) => n + g.slots.length, 0),
      rows: previewSlots(groups, input.sample ?? PREVIEW_ROWS),
    },
    steps: [
      `per batch of ≤ ${batchSize} candidates, one transaction: lock their kept and released slots; a candidate whose kept slot is no longer theirs and active is left alone, and so is a released slot no longer theirs`,
      `then, one statement each over the batch's released slots: archive and free them, archive and delete their notification logs and reminder jobs, and each candidate's earlier outbox messages about their slot (${superseded.messages} in all)`,
      `then, one statement over the batch: enqueue ${OUTBOX_TYPES.rejected} for each released candidate (once per key, whatever its status; a pending one archived first, a new one recorded for the undo)`,
    ],
    statements,
  };
}

/** The first `count` slots of the groups, in their order, each with what the plan does with it. */
function previewSlots(groups: DuplicateGroup[], count: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const g of groups) {
    for (const s of g.slots) {
      if (rows.length >= count) return rows;
      rows.push({ candidate_tg_id: s.candidate_tg_id, recruiter_id: s.recruiter_id, slot: s.id, status: s.status, start_utc: s.start_utc, keep: s.id === g.keep ? `keep (${g.keptBy})` : 'release' });
    }
  }
  return rows;
}

export async function applyResolveDuplicates(applier: Applier, plan: ResolvePlan): Promise<ResolveOutcome> {
  const outcome: ResolveOutcome = { released: [], skipped: [], batches: 0 };
  const total = plan.groups.reduce((n, g) => n + g.release.length, 0);
  for (const batch of chunks(plan.groups, plan.batchSize)) {
    await applier.transaction(async (trx, op) => {
      const locked = new Map((await recruiting.lockSlots(trx, batch.flatMap((g) => [g.keep, ...g.release]))).map((s) => [s.id, s]));
      const holds = (slotId: number, candidateTgId: number) => {
        const slot = locked.get(slotId);
        return slot !== undefined && slot.active && slot.candidate_tg_id === candidateTgId;
      };
      // Under the locks, the situation must still be the one planned: else the candidate, or the slot, is left alone.
      const releases: Array<{ slotId: number; candidateTgId: number }> = [];
      for (const g of batch) {
        if (!holds(g.keep, g.candidateTgId)) {
          g.release.forEach((slotId) => outcome.skipped.push({ slotId, why: `kept slot ${g.keep} is no longer candidate ${g.candidateTgId}'s` }));
          continue;
        }
        for (const slotId of g.release) {
          if (holds(slotId, g.candidateTgId)) releases.push({ slotId, candidateTgId: g.candidateTgId });
          else outcome.skipped.push({ slotId, why: `no longer held by candidate ${g.candidateTgId}` });
        }
      }
      if (releases.length === 0) return;
      const done = await applyChanges(trx, op, releaseChanges(releases, true, plan.slotLogs));
      const bySlot = (rows: Record<string, unknown>[] | undefined, column: string) => {
        const counts = new Map<number, number>();
        for (const row of rows ?? []) counts.set(Number(row[column]), (counts.get(Number(row[column])) ?? 0) + 1);
        return counts;
      };
      const logs = bySlot(done.logs?.rows, 'booking_id');
      const jobs = bySlot(done.jobs?.rows, 'slot_id');
      const superseded = (slotId: number) => supersededOf((done.superseded?.rows ?? []).filter((row) => Number(row.booking_id) === slotId) as never);
      const enqueued = await enqueueOutboxBatch(trx, rejectionsOf(releases, locked), op);
      releases.forEach((r, i) => {
        const outbox = enqueued[i];
        outcome.released.push({
          slotId: r.slotId,
          candidateTgId: r.candidateTgId,
          outboxId: outbox.row.id ?? null,
          archivedLogs: logs.get(r.slotId) ?? 0,
          archivedReminders: jobs.get(r.slotId) ?? 0,
          superseded: countSuperseded(superseded(r.slotId)),
        });
      });
    });
    outcome.batches += 1;
    applier.progress(outcome.released.length + outcome.skipped.length, total);
  }
  return outcome;
}

/** The rejection each released candidate gets, made of their slot as read (the plan) or locked (the run). */
function rejectionsOf(releases: Array<{ slotId: number; candidateTgId: number }>, slots: Map<number, LockedSlot>): EnqueueInput[] {
  return releases.map((r) => rejectionMessage(slots.get(r.slotId)!, r.candidateTgId, 'reject'));
}

/** The (slot, candidate) releases of some groups, in plan order. */
function releasesOf(groups: DuplicateGroup[]): Array<{ slotId: number; candidateTgId: number }> {
  return groups.flatMap((g) => g.release.map((slotId) => ({ slotId, candidateTgId: g.candidateTgId })));
}

function groupPairs(rows: DoubleBookedSlot[]): DuplicateGroup[] {
  const byPair = new Map<string, DuplicateGroup>();
  for (const slot of [...rows].sort((a, b) => a.recruiter_id - b.recruiter_id || a.candidate_tg_id - b.candidate_tg_id || a.keep_rank - b.keep_rank)) {
    const key = `${slot.candidate_tg_id}/${slot.recruiter_id}`;
    let g = byPair.get(key);
    if (!g) {
      g = { candidateTgId: slot.candidate_tg_id, recruiterId: slot.recruiter_id, slots: [], keep: slot.id, keptBy: 'rule', release: [] };
      leanInJson(g);
      byPair.set(key, g);
    }
    g.slots.push(slot);
    if (slot.keep_rank === 1) g.keep = slot.id;
  }
  return [...byPair.values()];
}

/**
 * A group in a JSON document names its slots by id: the slots' rows are in the plan's sample. With
 * every row of every pair, the document of 5,000 pairs was 4.8 MB and took the process to 111 MB.
 */
function leanInJson(g: DuplicateGroup): void {
  Object.defineProperty(g, 'toJSON', { enumerable: false, value: () => ({ ...g, slots: g.slots.map((s) => s.id) }) });
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
  unit: 'slots',
  async plan(db, input) {
    await requireModule(db, 'recruiting');
    return planResolveDuplicates(db, input);
  },
  apply: applyResolveDuplicates,
  summary: (r, plan) => ({ released: r.released.map((x) => x.slotId), kept: plan.groups.map((g) => g.keep), skipped: r.skipped }),
};
