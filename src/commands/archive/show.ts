import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { showOperation, type OperationDetail } from '../../archive/queries.js';

export interface ShowOptions {
  operation: number;
  rows: number;
}

export async function run(ctx: Context, opts: ShowOptions): Promise<OperationDetail> {
  return showOperation(await ctx.db(), opts.operation, opts.rows);
}

export function render(op: OperationDetail, out: Output): void {
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
}
