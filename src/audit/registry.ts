/**
 * Every audit check, in the order of docs/CHECKS.md, the thresholds each one takes, and the
 * selection of checks by id, module or id prefix (`bookops audit recruiting outbox.stuck chats`).
 */
import { UsageError } from '../errors.js';
import { CHAT_CHECKS } from './checks/chats.js';
import { INTERVIEW_CHECKS } from './checks/interviews.js';
import { OUTBOX_CHECKS } from './checks/outbox.js';
import { NOTIFICATION_CHECKS, RECRUITING_CHECKS } from './checks/recruiting.js';
import { SCHEMA_CHECKS } from './checks/schema.js';
import { WHATSAPP_CHECKS } from './checks/whatsapp.js';
import type { CheckDefinition, ThresholdSpec } from './types.js';
import { asInvoked } from '../invocation.js';

export const CHECKS: CheckDefinition[] = [
  ...INTERVIEW_CHECKS,
  ...RECRUITING_CHECKS,
  ...OUTBOX_CHECKS,
  ...NOTIFICATION_CHECKS,
  ...WHATSAPP_CHECKS,
  ...CHAT_CHECKS,
  ...SCHEMA_CHECKS,
];

/**
 * The threshold every check that can have findings takes, applied by the runner (not by the
 * check's query): a count below it is tolerated, e.g. a cron job that only pages from 5 up.
 * Info checks never have findings, so they do not take it.
 */
export const MIN_COUNT: ThresholdSpec = {
  name: 'min-count',
  kind: 'integer',
  default: 1,
  min: 1,
  description: 'a finding only when the count reaches this; below it the check is ok (tolerated), its count and sample still reported',
};

/** The thresholds a check takes: its own, then min-count unless it is informational. */
export function thresholdSpecs(check: CheckDefinition): ThresholdSpec[] {
  return [...(check.thresholds ?? []), ...(check.severity === 'info' ? [] : [MIN_COUNT])];
}

export function findCheck(id: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** Words that select several checks: modules and id prefixes (outbox, notifications, chats...). */
export function selectors(): string[] {
  const words = new Set<string>();
  for (const c of CHECKS) {
    words.add(c.module);
    words.add(c.id.split('.')[0]);
  }
  return [...words].sort();
}

function matches(check: CheckDefinition, token: string): boolean {
  return check.id === token || check.module === token || check.id.split('.')[0] === token;
}

/** The checks named by `tokens` (all when none), in registry order; unknown names are a usage error. */
export function selectChecks(tokens: string[] = []): CheckDefinition[] {
  const wanted = tokens.map((t) => t.trim()).filter(Boolean);
  if (wanted.length === 0) return [...CHECKS];
  const unknown = wanted.filter((t) => !CHECKS.some((c) => matches(c, t)));
  if (unknown.length) {
    throw new UsageError(
      `unknown check ${unknown.map((u) => `'${u}'`).join(', ')}; valid checks: ${CHECKS.map((c) => c.id).join(', ')}; or a group: ${selectors().join(', ')}`,
      { hint: asInvoked('audit --list') },
    );
  }
  return CHECKS.filter((c) => wanted.some((t) => matches(c, t)));
}
