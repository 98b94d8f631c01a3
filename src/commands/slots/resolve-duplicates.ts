/**
 * bookops slots resolve-duplicates: candidates holding several active slots of one recruiter
 * (audit recruiting.double-booking, seed 002 P1) keep one and the others are released through
 * the reject rule (the candidate is told, logs and reminder jobs of the released slots go).
 *
 * Which one is kept: on a terminal, support picks per candidate (the rule's choice first);
 * `--keep <slot...>` answers for the candidates it names; `--by-rule`, `--yes`, `--dry-run` or no
 * terminal take the stated rule: the most advanced status (confirmed_by_candidate, then booked,
 * then pending), then the earliest start, then the lowest id (sql/support/duplicate-slots.sql).
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { canPrompt, chooseOne } from '../../cli/prompts.js';
import { runSql } from '../../data/sql-files.js';
import { UsageError } from '../../errors.js';
import { rejectSlot } from '../../domain/recruiting/index.js';
import {
  countSuperseded,
  describeSuperseded,
  previewSuperseded,
  sumSuperseded,
  supersededOnRelease,
  type SupersedePreview,
} from '../../domain/recruiting/supersede-messages.js';
import { lockSlot } from '../../domain/recruiting/slot-lock.js';
import { SLOT_BOOKED, SLOT_CONFIRMED_BY_CANDIDATE, params as statusParams } from '../../domain/statuses.js';
import { chunks, shortList } from '../shared/batches.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { requireId } from '../../domain/validate.js';

export interface ResolveDuplicatesOptions {
  keep?: number[];
  byRule?: boolean;
  /** Candidates per transaction. */
  batchSize?: number;
}

interface DuplicateSlot {
  id: number;
  recruiter_id: number;
  candidate_tg_id: number;
  candidate_fio: string | null;
  status: string;
  start_utc: Date;
  duration_min: number;
  rule_rank: number;
}

export interface DuplicateGroup {
  candidateTgId: number;
  recruiterId: number;
  slots: DuplicateSlot[];
  keep: number;
  keptBy: 'rule' | '--keep' | 'prompt';
  release: number[];
}

export interface ResolvePlan extends ShownPlan {
  rule: string;
  groups: DuplicateGroup[];
  /** The released candidates' earlier outbox messages about those slots, superseded (archived). */
  superseded: SupersedePreview;
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

export type ResolveResult = DestructiveResult<ResolvePlan, ResolveOutcome>;

export const RULE = 'keep the most advanced status (confirmed_by_candidate, then booked, then pending), then the earliest start, then the lowest id';

export async function run(ctx: Context, opts: ResolveDuplicatesOptions): Promise<ResolveResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  const rows = await runSql<DuplicateSlot>(db, 'support/duplicate-slots', {
    slotActive: statusParams.slotActive,
    confirmedStatus: SLOT_CONFIRMED_BY_CANDIDATE,
    bookedStatus: SLOT_BOOKED,
  });
  const groups = groupPairs(rows);
  const keep = new Set((opts.keep ?? []).map((id) => requireId('--keep', id)));
  checkKeep(groups, keep);
  const ask = canPrompt(ctx) && !ctx.flags.yes && !ctx.flags.dryRun && !opts.byRule;
  for (const g of groups) {
    const named = g.slots.filter((s) => keep.has(s.id));
    if (named.length === 1) {
      g.keep = named[0].id;
      g.keptBy = '--keep';
    } else if (ask) {
      g.keep = await chooseOne(ctx, `candidate ${g.candidateTgId} holds ${g.slots.length} active slots of recruiter ${g.recruiterId}: which one to keep?`, choices(g), () => g.keep);
      g.keptBy = 'prompt';
    }
    g.release = g.slots.filter((s) => s.id !== g.keep).map((s) => s.id);
  }
  const releases = groups.reduce((n, g) => n + g.release.length, 0);
  const released = groups.flatMap((g) => g.release.map((slotId) => ({ slotId, candidateTgId: g.candidateTgId })));
  const superseded = await previewSuperseded(db, released, supersededOnRelease(true));
  const summary =
    groups.length === 0
      ? 'no candidate holds more than one active slot of a recruiter'
      : `release ${releases} slot(s) of ${groups.length} candidate(s) holding several active slots of one recruiter, keeping slot(s) ${shortList(groups.map((g) => g.keep)).join(', ')}; each released candidate is told (candidate_rejection)` +
          (superseded.messages ? `; archived too: ${describeSuperseded(superseded, 'those candidates about the released slots')}` : '');
  const plan: ResolvePlan = {
    summary,
    rule: RULE,
    groups,
    superseded,
    sample: {
      table: 'slots',
      total: rows.length,
      rows: groups.flatMap((g) =>
        g.slots.map((s) => ({ candidate_tg_id: s.candidate_tg_id, recruiter_id: s.recruiter_id, slot: s.id, status: s.status, start_utc: s.start_utc, keep: s.id === g.keep ? `keep (${g.keptBy})` : 'release' })),
      ),
    },
    steps: [
      `per candidate: lock the kept slot and check it is still theirs and active (else leave the candidate alone)`,
      `per released slot: lock it, check it is still the candidate's, then reject it (free, logs and reminder jobs archived, the candidate's earlier outbox messages about it archived (${superseded.messages} in all), candidate_rejection enqueued)`,
    ],
  };
  const batchSize = opts.batchSize ?? 50;
  return runDestructive(ctx, {
    action: 'slots.resolve-duplicates',
    plan: { describe: summary, preview: plan, empty: groups.length === 0 },
    apply: async (applier) => {
      const outcome: ResolveOutcome = { released: [], skipped: [], batches: 0 };
      for (const batch of chunks(groups, batchSize)) {
        await applier.transaction(async (trx, op) => {
          for (const g of batch) {
            const kept = await lockSlot(trx, g.keep);
            if (!kept.active || Number(kept.candidate_tg_id) !== g.candidateTgId) {
              g.release.forEach((slotId) => outcome.skipped.push({ slotId, why: `kept slot ${g.keep} is no longer candidate ${g.candidateTgId}'s` }));
              continue;
            }
            for (const slotId of g.release) {
              const slot = await lockSlot(trx, slotId);
              if (!slot.active || Number(slot.candidate_tg_id) !== g.candidateTgId) {
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
        applier.progress(outcome.released.length + outcome.skipped.length, releases);
      }
      return outcome;
    },
    summary: (r) => ({ released: r.released.map((x) => x.slotId), kept: groups.map((g) => g.keep), skipped: r.skipped }),
  });
}

function groupPairs(rows: DuplicateSlot[]): DuplicateGroup[] {
  const byPair = new Map<string, DuplicateGroup>();
  for (const row of rows) {
    const slot = { ...row, candidate_tg_id: Number(row.candidate_tg_id) };
    const key = `${slot.candidate_tg_id}/${slot.recruiter_id}`;
    let g = byPair.get(key);
    if (!g) {
      g = { candidateTgId: slot.candidate_tg_id, recruiterId: slot.recruiter_id, slots: [], keep: slot.id, keptBy: 'rule', release: [] };
      byPair.set(key, g);
    }
    g.slots.push(slot);
    if (slot.rule_rank === 1) g.keep = slot.id;
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

/** The rule's choice first (a prompt's default is its first choice). */
function choices(g: DuplicateGroup) {
  const ordered = [...g.slots].sort((a, b) => a.rule_rank - b.rule_rank);
  return ordered.map((s) => ({
    name: `slot ${s.id}: ${s.status}, ${new Date(s.start_utc).toISOString().slice(0, 16).replace('T', ' ')} UTC${s.id === g.keep ? ' (the rule keeps this one)' : ''}`,
    value: s.id,
  }));
}

export function render(r: ResolveResult, out: Output): void {
  renderDestructive(r, out, {
    details: (plan) => [`rule: ${plan.rule}`],
    done: (res) => [
      `${out.c.green('released')} ${res.released.length} slot(s) in ${res.batches} batch(es); kept ${shortList(r.plan.groups.map((g) => g.keep)).join(', ')}`,
      `archived: ${describeSuperseded(sumSuperseded(res.released.map((x) => x.superseded)), 'the released candidates')}`,
      ...res.skipped.map((s) => `skipped slot ${s.slotId}: ${s.why}`),
    ],
  });
}
