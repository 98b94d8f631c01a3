/**
 * Every value of the platform vocabulary a query or a migration may name, under one name each:
 * the statuses (statuses.ts) and the payload pattern (log-candidate.ts). The SQL loader binds
 * them to every query (:slotActive), the migration runner to every migration (:'slotActive').
 */
import { PAYLOAD_CANDIDATE_PATTERN } from './log-candidate.js';
import { STATUS_PARAMS } from './statuses.js';

export const VOCABULARY = {
  ...STATUS_PARAMS,
  payloadCandidate: PAYLOAD_CANDIDATE_PATTERN,
};
