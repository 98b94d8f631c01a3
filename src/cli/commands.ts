/**
 * The one list of commands, in the order --help shows them: the tour, the database, the DBA's,
 * ops', then support's. Adding a command is one file under src/commands/<area>/ and one line
 * here. A command's file is loaded only when its area (or the command itself) is named, so
 * `bookops --help` never loads the database layer.
 */
import type { CommandDefinition } from './define.js';
import { examples } from './define.js';

type Loaded = Promise<{ default: CommandDefinition<any, any> }>;

export interface Entry {
  name: string;
  description: string;
  /** Help text after the entry's own (examples). */
  help?: string;
  /** A top-level command (audit, demo): its one file. */
  command?: () => Loaded;
  /** An area (slots, outbox): its commands' files, in --help order. */
  commands?: () => Loaded[];
}

export const ENTRIES: Entry[] = [
  {
    name: 'demo',
    description:
      'zero-setup tour on the embedded cluster (or an empty --db): the legacy schema, demo data with every seed ' +
      'defect planted, and what to try next; a second run shows it again',
    command: () => import('../commands/demo/demo.js'),
  },
  {
    name: 'db',
    description: 'manage the embedded PostgreSQL cluster (data in .bookops/ or BOOKOPS_HOME)',
    help: examples('bookops db start', 'bookops db status --json', 'psql "$(bookops db url)"'),
    commands: () => [import('../commands/db/start.js'), import('../commands/db/stop.js'), import('../commands/db/status.js'), import('../commands/db/url.js')],
  },
  {
    name: 'migrate',
    description: 'reviewable, online schema migrations (plain SQL files in migrations/)',
    help: examples('bookops migrate status', 'bookops migrate plan > plan.sql', 'bookops migrate up --to 0002', 'bookops migrate baseline'),
    commands: () => [
      import('../commands/migrate/status.js'),
      import('../commands/migrate/plan.js'),
      import('../commands/migrate/up.js'),
      import('../commands/migrate/down.js'),
      import('../commands/migrate/baseline.js'),
    ],
  },
  {
    name: 'audit',
    description: 'read-only checks of the platform tables and schema; exit 1 when findings reach --fail-on',
    command: () => import('../commands/audit/audit.js'),
  },
  {
    name: 'chats',
    description: 'chat rooms of the lessons platform: verify the trigger and rooms, backfill, metrics',
    help: examples('bookops chats verify', 'bookops chats verify --backfill', 'bookops chats metrics --prometheus /var/lib/node_exporter/textfile/bookops_chat.prom'),
    commands: () => [import('../commands/chats/verify.js'), import('../commands/chats/metrics.js')],
  },
  {
    name: 'serve',
    description: 'Prometheus exporter over the configured targets: /metrics (bookops_up, audit and chat metrics per target), /healthz',
    command: () => import('../commands/serve/serve.js'),
  },
  {
    name: 'interviews',
    description: 'interview bot support: rebook a slot after a cancel, clean cancelled interviews that block rebooking (seed 000)',
    help: examples('bookops interviews rebook --slot 193 --user 5512345678', 'bookops interviews clean-cancelled --dry-run'),
    commands: () => [import('../commands/interviews/rebook.js'), import('../commands/interviews/clean-cancelled.js')],
  },
  {
    name: 'slots',
    description: 'recruiting bot support: release or reassign a slot, resolve double bookings (seed 002)',
    help: examples('bookops slots release 412', 'bookops slots reassign 412 --candidate 5512345678', 'bookops slots resolve-duplicates --dry-run'),
    commands: () => [import('../commands/slots/release.js'), import('../commands/slots/reassign.js'), import('../commands/slots/resolve-duplicates.js')],
  },
  {
    name: 'notifications',
    description: 'recruiting bot notification logs: clean the stale ones that silence the next candidate (seed 002)',
    help: examples('bookops notifications clean-stale --dry-run', 'bookops notifications clean-stale --slot 412'),
    commands: () => [import('../commands/notifications/clean-stale.js')],
  },
  {
    name: 'outbox',
    description: 'recruiting bot outbox_notifications: counts, duplicate keys, stuck and failed messages (seed 001)',
    help: examples('bookops outbox stats', 'bookops outbox dedupe --dry-run', 'bookops outbox retry-failed'),
    commands: () => [
      import('../commands/outbox/stats.js'),
      import('../commands/outbox/dedupe.js'),
      import('../commands/outbox/requeue.js'),
      import('../commands/outbox/retry-failed.js'),
    ],
  },
  {
    name: 'whatsapp',
    description: 'WhatsApp bot numbers: preview what a delete takes, delete with everything under it, or deactivate (seed 003)',
    help: examples('bookops whatsapp preview-delete +79000000001', 'bookops whatsapp delete +79000000001', 'bookops whatsapp deactivate 42'),
    commands: () => [import('../commands/whatsapp/preview-delete.js'), import('../commands/whatsapp/delete.js'), import('../commands/whatsapp/deactivate.js')],
  },
  {
    name: 'archive',
    description: 'what destructive commands removed or changed, and the undo (restore)',
    help: examples('bookops archive list', 'bookops archive show 12', 'bookops archive restore 12'),
    commands: () => [import('../commands/archive/list.js'), import('../commands/archive/show.js'), import('../commands/archive/restore.js')],
  },
];
