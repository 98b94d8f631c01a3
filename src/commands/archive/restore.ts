/** bookops archive restore <op>: the undo, through the same destructive flow as every repair (src/domain/archive/restore-operation.ts). */
import { argument, command } from '../../cli/define.js';
import { operationId } from '../../cli/parsers.js';
import { restoreRule } from '../../domain/archive/restore-operation.js';
import { runDestructive } from '../../io/destructive.js';
import { showStatements } from '../../io/render-plan.js';

export default command({
  name: 'restore',
  description: 'put back exactly what an operation removed or changed, in one transaction',
  inputs: { operation: argument('<operation>', 'operation id (from archive list)', operationId) },
  examples: ['bookops archive restore 12 --dry-run', 'bookops archive restore 12', 'bookops archive restore 12 --yes --json'],
  run: async (ctx, o) => {
    const r = await runDestructive(ctx, restoreRule, { operation: o.operation });
    // Done, or (--dry-run) what the rehearsal did before it was rolled back.
    return { dryRun: r.dryRun, operation: r.plan.operation, restored: r.result!, statements: r.plan.statements };
  },
  render: (r, out) => {
    const done = [
      ...Object.entries(r.restored.inserted).map(([t, n]) => `${n} ${t} reinserted`),
      ...Object.entries(r.restored.updated).map(([t, n]) => `${n} ${t} set back`),
      ...Object.entries(r.restored.removed).map(([t, n]) => `${n} ${t} removed`),
    ];
    if (r.dryRun) {
      out.print(`operation ${r.operation.id} (${r.operation.action}) can be restored (rehearsed and rolled back, nothing changed): ${done.join(', ')}`);
      showStatements(r.statements, out);
      return;
    }
    out.print(`${out.c.green('restored')} operation ${r.operation.id} (${r.operation.action}): ${done.join(', ')}`);
  },
});
