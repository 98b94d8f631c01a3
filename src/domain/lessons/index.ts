export { activateBooking, type ActivateBookingResult } from './activate-booking.js';
export { getOrCreateRoom, type GetOrCreateRoomResult } from './get-or-create-room.js';
export { CHAT_OBJECTS } from '../../platform/chat-objects.js';
export type { BookingRow, ChatRoomRow } from '../../data/lessons.repository.js';
