/**
 * The one explicit list of command areas. Adding a command means adding it to its area file;
 * adding an area means one line here.
 */
import type { Command } from 'commander';
import type { RunState } from '../command.js';
import { registerArchive } from './archive.js';
import { registerAudit } from './audit.js';
import { registerChats } from './chats.js';
import { registerDb } from './db.js';
import { registerDemo } from './demo.js';
import { registerInterviews } from './interviews.js';
import { registerMigrate } from './migrate.js';
import { registerNotifications } from './notifications.js';
import { registerOutbox } from './outbox.js';
import { registerSlots } from './slots.js';
import { registerWhatsapp } from './whatsapp.js';

export function registerAreas(program: Command, state: RunState): void {
  // In the order --help lists them: the tour, the database, the DBA's, ops', then support's.
  registerDemo(program, state);
  registerDb(program, state);
  registerMigrate(program, state);
  registerAudit(program, state);
  registerChats(program, state);
  registerInterviews(program, state);
  registerSlots(program, state);
  registerNotifications(program, state);
  registerOutbox(program, state);
  registerWhatsapp(program, state);
  registerArchive(program, state);
}
