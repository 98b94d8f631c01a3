import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { listOperations, type OperationSummary } from '../../archive/queries.js';

export interface ListOptions {
  limit: number;
}

export async function run(ctx: Context, opts: ListOptions): Promise<{ operations: OperationSummary[] }> {
  return { operations: await listOperations(await ctx.db(), opts.limit) };
}

export function render(r: { operations: OperationSummary[] }, out: Output): void {
  if (r.operations.length === 0) return out.print('nothing archived yet');
  out.print(
    out.table(
      ['op', 'action', 'rows', 'when', 'by', 'restored', 'command'],
      r.operations.map((o) => [
        o.id,
        o.action,
        o.complete ? o.rows : `${o.rows} (incomplete)`,
        new Date(o.created_at).toISOString(),
        o.os_user ? `${o.os_user} (db: ${o.db_user})` : o.db_user,
        o.restored_at ? new Date(o.restored_at).toISOString() : '',
        o.command_line.length > 60 ? `${o.command_line.slice(0, 57)}...` : o.command_line,
      ]),
    ),
  );
}
