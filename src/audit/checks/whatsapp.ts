/** Seed 003's checks: the keys that block deleting a number (the walk migration 0005 fixes), and orphaned rows. */
import { foreignKeyTree } from '../../data/catalog.repository.js';
import * as whatsapp from '../../data/whatsapp.repository.js';
import { MODULES } from '../../platform/modules.js';
import type { CheckDefinition } from '../types.js';
import { asInvoked } from '../../invocation.js';

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT' };

export const WHATSAPP_CHECKS: CheckDefinition[] = [
  {
    id: 'whatsapp.blocking-fks',
    module: 'whatsapp',
    tables: ['whatsapp_numbers'],
    severity: 'error',
    title: 'foreign keys that block deleting a WhatsApp number',
    get repair() {
      return asInvoked('migrate up');
    },
    run: async (env) => {
      const blocking = (await foreignKeyTree(env.db, 'whatsapp_numbers', MODULES.whatsapp)).filter((r) => r.blocks_delete);
      return {
        count: blocking.length,
        sample: blocking.slice(0, env.sample).map((r) => ({
          constraint_name: r.constraint_name,
          table_name: r.table_name,
          references_table: r.ref_table,
          columns: r.columns.join(', '),
          on_delete: ON_DELETE[r.on_delete],
          validated: !r.unvalidated,
        })),
      };
    },
  },
  {
    id: 'whatsapp.orphans',
    module: 'whatsapp',
    tables: ['whatsapp_numbers', 'bots', 'conversations', 'whatsapp_messages', 'broadcasts', 'broadcast_recipients'],
    severity: 'error',
    title: 'WhatsApp rows whose parent is gone',
    get repair() {
      return asInvoked('whatsapp delete <number> (or remove by hand)');
    },
    run: (env) => whatsapp.orphans(env.db, env.sample),
  },
];
