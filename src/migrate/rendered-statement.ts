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
