export { reserveSlot, type ReserveSlotInput, type ReserveSlotResult } from './reserve-slot.js';
export { approveSlot, type ApproveSlotResult } from './approve-slot.js';
export { rejectSlot, type RejectReason, type RejectSlotInput, type RejectSlotResult } from './reject-slot.js';
export { reassignSlot, type ReassignSlotResult } from './reassign-slot.js';
export { confirmByCandidate, type ConfirmByCandidateResult } from './confirm-by-candidate.js';
export { logsKeyedByCandidate, archiveStaleLogs, recordLog, type RecordedLog } from './notification-logs.js';
export { scheduleReminders, archiveAllReminders, type ReminderSchedule } from './reminders.js';
export { LOG_TYPES, OUTBOX_TYPES, REMINDERS } from './notification-types.js';
export type { LockedSlot, NotificationLogRow, ReminderJobRow, SlotRow } from './types.js';
