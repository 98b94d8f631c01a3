/** bookops archive list: the archived operations, newest first (none yet when the archive tables do not exist). */
import { listOperations } from '../../archive/restore.js';
import { command, option } from '../../cli/define.js';
import { formatOption } from '../../cli/options.js';
import { integer } from '../../cli/parsers.js';

export default command({
  name: 'list',
  readOnly: true,
  description: 'archived operations, newest first: action, command line, user, time, rows, restored',
  inputs: {
    format: formatOption(),
    limit: option('--limit <n>', 'how many operations', integer(1, 10_000), 20),
  },
  examples: ['bookops archive list', 'bookops archive list --limit 100 --json'],
  run: async (ctx, o) => ({ operations: await listOperations(await ctx.db(), o.limit) }),
  render: (r, out) => {
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
          o.command_line,
        ]),
      ),
    );
  },
});
