export { bookSlot, planBookSlot, applyBookSlot, rebookSlot, type BookPlan, type BookSlotInput, type BookSlotResult } from './book-slot.js';
export { cancelInterview, type CancelInterviewResult } from './cancel-interview.js';
export { cleanCancelled, planCleanCancelled, type CleanCancelledPlan } from './clean-cancelled.js';
export { interviewKeyShape, type InterviewKeyShape } from '../../data/interviews.repository.js';
export type { InterviewRow } from '../../data/interviews.repository.js';
