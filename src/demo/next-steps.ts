/** What to try after the demo, with real ids from the demo data, as this bookops was invoked (`npx bookops …`). */
import { asInvoked } from '../invocation.js';
import type { SeedReport } from './types.js';

export interface NextStep {
  command: string;
  why: string;
}

export function nextSteps(report: SeedReport, opts: { embedded: boolean }): NextStep[] {
  const s = report.samples;
  const count = (id: keyof SeedReport['planted']) => report.planted[id]?.count ?? 0;
  const steps: NextStep[] = [
    { command: asInvoked('audit'), why: 'find every planted defect (exit 1: findings)' },
    { command: asInvoked('migrate plan'), why: 'the exact SQL of the fixes; changes nothing' },
    { command: asInvoked('migrate up'), why: 'apply the fixes; its preflight refuses while planted duplicates remain' },
    { command: asInvoked('chats verify'), why: `${count('chats.missing')} pairs with an active booking have no chat room` },
  ];
  if (s.cancelledSlot) {
    steps.push({
      command: asInvoked(`interviews rebook --slot ${s.cancelledSlot.slotId} --user ${s.cancelledSlot.userTgId}`),
      why: `time slot ${s.cancelledSlot.slotId} is blocked by a cancelled interview`,
    });
  }
  if (s.whatsappNumber) {
    steps.push({
      command: asInvoked(`whatsapp preview-delete ${s.whatsappNumber}`),
      why: 'what deleting this number would remove (its foreign keys do not cascade)',
    });
  }
  steps.push({ command: asInvoked('archive list'), why: 'every repair is archived and can be undone' });
  if (opts.embedded) steps.push({ command: asInvoked('demo --reset'), why: 'start over with fresh demo data' });
  return steps;
}
