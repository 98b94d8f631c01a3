export { resolveNumber, samePhoneNumber } from './resolve-number.js';
export {
  previewNumberDeletion,
  NUMBER_TREE,
  blocksDelete,
  changesUnarchived,
  describeReferrers,
  type NumberDeletionPreview,
  type OtherReferrer,
} from './preview-deletion.js';
export { deleteNumber, type DeleteNumberOptions, type DeleteNumberResult } from './delete-number.js';
export { deactivateNumber, type DeactivateNumberResult } from './deactivate-number.js';
export type { NumberDeletionCounts, NumberRef, WhatsappNumberRow } from './types.js';
