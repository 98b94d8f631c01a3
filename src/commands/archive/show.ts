/** bookops archive show <operation>: one operation, its rows per table and its first archived rows. */
import { showOperation } from '../../archive/restore.js';
import { argument, command, option } from '../../cli/define.js';
import { formatOption } from '../../cli/options.js';
import { integer, operationId } from '../../cli/parsers.js';

export default command({
  name: 'show',
  readOnly: true,
  description: 'one operation: rows per table and the first archived rows',
  inputs: {
    format: formatOption(),
    operation: argument('<operation>', 'operation id (from archive list)', operationId),
    rows: option('--rows <n>', 'how many archived rows to show', integer(0, 10_000), 10),
  },
  examples: ['bookops archive show 12', 'bookops archive show 12 --rows 100 --json'],
  run: async (ctx, o) => showOperation(await ctx.db(), o.operation, o.rows),
  render: (op, out) => {
    out.print(`operation ${op.id}: ${op.action}`);
    out.print(`  command:  ${op.command_line}`);
    out.print(`  by:       ${op.os_user ?? '?'} (database user ${op.db_user}) at ${new Date(op.created_at).toISOString()}`);
    if (!op.complete) out.print(`  complete: no (interrupted or failed before its end${op.summary.error ? `: ${op.summary.error}` : ''}; what it archived was committed)`);
    out.print(`  restored: ${op.restored_at ? `${new Date(op.restored_at).toISOString()} by ${op.restored_by ?? '?'}` : 'no'}`);
    out.print(out.table(['table', 'change', 'rows'], op.tables.map((t) => [t.table_name, t.change, t.rows])));
    if (op.sample.length) {
      out.print(`first ${op.sample.length} archived row(s):`);
      for (const row of op.sample) out.print(`  ${row.table_name} (${row.change}): ${JSON.stringify(row.row_data)}`);
    }
  },
});
