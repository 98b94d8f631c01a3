/**
 * bookops slots resolve-duplicates: candidates holding several active slots of one recruiter keep
 * one (src/domain/recruiting/resolve-duplicates.ts: the rule, --keep, or a choice on a terminal)
 * and the others are released through the reject rule.
 */
import { command, flag, option } from '../../cli/define.js';
import { batchSizeOption } from '../../cli/options.js';
import { id, many } from '../../cli/parsers.js';
import { DEFAULT_BATCH_SIZE, resolveDuplicatesRule, shortList, type DuplicateGroup } from '../../domain/recruiting/resolve-duplicates.js';
import { describeSuperseded, sumSuperseded } from '../../domain/recruiting/supersede-messages.js';
import { runDestructive } from '../../io/destructive.js';
import { canPrompt, chooseOne } from '../../io/prompts.js';
import { renderDestructive } from '../../io/render-plan.js';

/** The slots of a group as a prompt offers them, the rule's choice first (a prompt's default is its first choice). */
function choices(g: DuplicateGroup) {
  return [...g.slots]
    .sort((a, b) => a.keep_rank - b.keep_rank)
    .map((s) => ({
      name: `slot ${s.id}: ${s.status}, ${new Date(s.start_utc).toISOString().slice(0, 16).replace('T', ' ')} UTC${s.id === g.keep ? ' (the rule keeps this one)' : ''}`,
      value: s.id,
    }));
}

export default command({
  name: 'resolve-duplicates',
  description:
    'for candidates holding several active slots of one recruiter, keep one and release the others through the reject ' +
    'rule; on a terminal you pick per candidate, else the rule: most advanced status (confirmed_by_candidate, booked, ' +
    'pending), then earliest start, then lowest id',
  inputs: {
    keep: option('--keep <slot...>', 'keep these slots (one per candidate); the other candidates are asked or follow the rule', many(id)),
    byRule: flag('--by-rule', 'follow the rule for every candidate without asking'),
    batchSize: batchSizeOption('candidates per committed transaction', 10_000, DEFAULT_BATCH_SIZE),
  },
  examples: [
    'bookops slots resolve-duplicates --dry-run',
    'bookops slots resolve-duplicates',
    'bookops slots resolve-duplicates --keep 412 --keep 977',
    'bookops slots resolve-duplicates --by-rule --yes --json',
  ],
  run: (ctx, o) => {
    // Support picks per candidate only where someone can answer; --by-rule, --yes and --dry-run take the rule.
    const ask = canPrompt(ctx) && !ctx.flags.yes && !ctx.flags.dryRun && !o.byRule;
    const choose = ask
      ? (g: DuplicateGroup) => chooseOne(ctx, `candidate ${g.candidateTgId} holds ${g.slots.length} active slots of recruiter ${g.recruiterId}: which one to keep?`, choices(g), () => g.keep)
      : undefined;
    return runDestructive(ctx, resolveDuplicatesRule, { keep: o.keep, choose, batchSize: o.batchSize });
  },
  render: (r, out) =>
    renderDestructive(r, out, {
      details: (plan) => [`rule: ${plan.rule}`],
      done: (res) => [
        `${out.c.green('released')} ${res.released.length} slot(s) in ${res.batches} batch(es); kept ${shortList(r.plan.groups.map((g) => g.keep)).join(', ')}`,
        `archived: ${describeSuperseded(sumSuperseded(res.released.map((x) => x.superseded)), 'the released candidates')}`,
        ...res.skipped.map((s) => `skipped slot ${s.slotId}: ${s.why}`),
      ],
    }),
});
