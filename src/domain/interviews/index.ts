export { bookSlot, type BookSlotInput, type BookSlotResult } from './book-slot.js';
export { cancelInterview, type CancelInterviewResult } from './cancel-interview.js';
export { interviewKeyShape, type InterviewKeyShape } from './schema-shape.js';
export type { InterviewRow } from './types.js';
