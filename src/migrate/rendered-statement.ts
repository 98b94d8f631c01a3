/** A migration statement as it will be sent (or the comment that stands in for it), with why. */
import type { ObjectRecord } from '../data/migrate.repository.js';

export interface RenderedStatement {
  sql: string;
  /** Why a statement was skipped or changed, for plan output and the run log. */
  note?: string;
  /**
   * no-rows: a bookops:each query found nothing (routine, logged with --verbose only);
   * index-valid / index-invalid: our index by name already built / a leftover rebuilt;
   * adopted / replaced / kept / restored / leftover: what src/migrate/hand-made.ts decided about
   * an object built by hand.
   */
  kind?: 'no-rows' | 'index-valid' | 'index-invalid' | 'adopted' | 'replaced' | 'kept' | 'restored' | 'leftover';
  /** up: what bookops' records keep of this decision, written just before the statement is sent. */
  record?: ObjectRecord;
}

/** The kinds that say what was found built by hand (the plan lists them first, per migration). */
export const HAND_MADE_KINDS: readonly NonNullable<RenderedStatement['kind']>[] = ['adopted', 'replaced', 'kept', 'restored', 'leftover'];

/**
 * Text as SQL comment lines: every line break of it (a site's index predicate or trigger body
 * quoted in a note may hold one) starts a new `-- ` line, so a plan written to a file and run by
 * psql never runs what a definition's text holds.
 */
export function sqlComment(text: string, prefix = '-- '): string {
  return text
    .split(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/)
    .map((line) => `${prefix}${line}`)
    .join('\n');
}
