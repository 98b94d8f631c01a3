/**
 * A hot standby serves reads and refuses every write, so the read-only commands (audit, chats
 * verify without --backfill, chats metrics, migrate status and plan, ...) run there and take the
 * heavy reads off the primary; every other command refuses up front, before it plans, prompts or
 * prints anything, instead of failing on its first write.
 */
import type { Knex } from 'knex';
import { RefusedError } from '../errors.js';
import { isStandby } from './connect.js';

export function refuseWritesOnStandby(db: Knex, label: string, command: string): void {
  if (!isStandby(db)) return;
  throw new RefusedError(`${label} is a read-only hot standby (in recovery): bookops ${command} writes, so run it against the primary`, {
    // Named by what they share, not listed: a list here would drift from the commands' own readOnly.
    hint: 'the commands that only read (audit, chats verify without --backfill, migrate status and plan, and the other reports) run on a standby',
  });
}
