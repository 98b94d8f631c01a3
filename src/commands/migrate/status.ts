import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { compare, readApplied, type MigrationStatus } from '../../migrate/state.js';
import { loadFiles, type RunnerOptions } from './deps.js';

export interface StatusResult {
  target: string;
  migrations: MigrationStatus[];
  applied: number;
  pending: number;
  changed: number;
}

export async function run(ctx: Context, opts: RunnerOptions): Promise<StatusResult> {
  const [files, db, target] = await Promise.all([loadFiles(opts), ctx.db(), ctx.target()]);
  const migrations = compare(files, await readApplied(db));
  const count = (...states: string[]) => migrations.filter((m) => states.includes(m.state)).length;
  return {
    target: target.label,
    migrations,
    applied: count('applied', 'changed', 'unverified', 'missing'),
    pending: count('pending'),
    changed: count('changed', 'missing'),
  };
}

export function render(r: StatusResult, out: Output): void {
  const paint: Record<string, (s: string) => string> = {
    applied: out.c.green,
    pending: out.c.yellow,
    changed: out.c.red,
    missing: out.c.red,
    unverified: out.c.yellow,
  };
  out.print(`migrations on ${r.target}`);
  out.print(
    out.table(
      ['migration', 'state', 'applied at', 'tx', 'down'],
      r.migrations.map((m) => [
        m.name,
        paint[m.state](m.state === 'changed' ? 'changed since applied' : m.state),
        m.appliedAt ?? '',
        m.transactional === null ? '' : m.transactional ? 'yes' : 'no',
        m.reversible === null ? '' : m.reversible ? 'yes' : 'no',
      ]),
    ),
  );
  out.print(`${r.applied} applied, ${r.pending} pending${r.changed ? `, ${r.changed} changed since applied` : ''}`);
}
