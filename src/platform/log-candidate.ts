/**
 * Whose notification log is it? Before migration 0004 the only record of the candidate is the
 * `candidate_tg_id` inside the JSON payload text; after it there is a column too. Every reader
 * extracts the payload's candidate with this one pattern (the rule itself is one query:
 * sql/recruiting/notification-logs.sql stale-logs): a regular expression rather than a jsonb
 * cast, so a malformed payload is simply unattributed instead of failing the statement. SQL
 * casts the digits to numeric, which no length overflows (a bounded {1,18} repetition made the
 * scan a third slower at a million logs). SQL receives it as the :payloadCandidate parameter.
 */
export const PAYLOAD_CANDIDATE_PATTERN = '"candidate_tg_id"\\s*:\\s*"?(-?[0-9]+)';
