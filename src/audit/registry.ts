/**
 * Every audit check, in the order of docs/CHECKS.md, and the selection of checks by id, module or
 * id prefix (`bookops audit recruiting outbox.stuck chats`).
 */
import { UsageError } from '../errors.js';
import { DATA_CHECKS } from './checks/data.js';
import { SCHEMA_CHECKS } from './checks/schema.js';
import type { CheckDefinition } from './types.js';

export const CHECKS: CheckDefinition[] = [...DATA_CHECKS, ...SCHEMA_CHECKS];

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
      { hint: 'bookops audit --list' },
    );
  }
  return CHECKS.filter((c) => wanted.some((t) => matches(c, t)));
}
