export { resolveNumber, samePhoneNumber } from './resolve-number.js';
export {
  previewNumberDeletion,
  planDeleteNumber,
  applyDeleteNumber,
  deleteNumber,
  deleteNumberRule,
  NUMBER_TREE,
  blocksDelete,
  changesUnarchived,
  describeCounts,
  describeReferrers,
  numberLabel,
  type DeletePlan,
  type DeleteNumberResult,
  type NumberPreview,
  type OtherReferrer,
} from './delete-number.js';
export { deactivateNumber, deactivateNumberRule, planDeactivateNumber, type DeactivateNumberResult, type DeactivatePlan } from './deactivate-number.js';
export type { NumberDeletionCounts, NumberRef, WhatsappNumberRow } from './types.js';
