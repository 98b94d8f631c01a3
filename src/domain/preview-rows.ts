/**
 * Rows a preview (--dry-run, the confirmation) shows per table unless --sample says otherwise. A
 * module of its own, with no imports: the --sample option reads it without loading the domain.
 */
export const PREVIEW_ROWS = 20;
