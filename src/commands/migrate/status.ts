/** bookops migrate status: applied and pending migrations, and applied ones whose file changed since (checksum). */
import { command } from '../../cli/define.js';
import { formatOption, migrationsDirOption } from '../../cli/options.js';
import { loadFiles } from '../../io/runner-deps.js';
import { baselineFirst, tablesWithoutBaseline } from '../../migrate/baseline-needed.js';
import { readStatuses, type MigrationStatus } from '../../migrate/state.js';

export interface StatusResult {
  target: string;
  migrations: MigrationStatus[];
  applied: number;
  pending: number;
  changed: number;
  /** Applied, but no longer in the migrations folder. */
  missing: number;
  /** Recorded without running: their module's tables are absent here. */
  skipped: number;
  /** The platform tables that exist while no baseline is recorded (absent: not the case). */
  baselineNeeded?: string[];
}

export default command({
  name: 'status',
  readOnly: true,
  description: 'list applied and pending migrations; flag applied ones whose file changed since (checksum)',
  inputs: {
    format: formatOption(),
    migrationsDir: migrationsDirOption(),
  },
  examples: ['bookops migrate status', 'bookops migrate status --json'],
  run: async (ctx, o): Promise<StatusResult> => {
    const [files, db, target] = await Promise.all([loadFiles(o), ctx.db(), ctx.target()]);
    const { applied, statuses: migrations } = await readStatuses(db, files);
    const count = (...states: string[]) => migrations.filter((m) => states.includes(m.state)).length;
    const baselineNeeded = await tablesWithoutBaseline(db, files, applied);
    return {
      ...(baselineNeeded.length ? { baselineNeeded } : {}),
      target: target.label,
      migrations,
      applied: count('applied', 'changed', 'unverified', 'missing'),
      skipped: count('skipped'),
      pending: count('pending'),
      changed: count('changed'),
      missing: count('missing'),
    };
  },
  summary: (r) => `${r.applied} applied, ${r.pending} pending${r.changed ? `, ${r.changed} changed since applied` : ''}${r.baselineNeeded ? ', baseline needed' : ''}`,
  render: (r, out) => {
    const paint: Record<string, (s: string) => string> = {
      applied: out.c.green,
      pending: out.c.yellow,
      changed: out.c.red,
      missing: out.c.red,
      unverified: out.c.yellow,
      skipped: out.c.dim,
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
    const changed = r.changed ? `, ${r.changed} changed since applied` : '';
    const missing = r.missing ? `, ${r.missing} applied but missing from the migrations folder` : '';
    out.print(`${r.applied} applied, ${r.skipped ? `${r.skipped} skipped, ` : ''}${r.pending} pending${changed}${missing}`);
    // Why a migration is skipped (its module is absent here), or pending again (its tables came since).
    for (const m of r.migrations.filter((x) => x.note)) out.print(out.c.dim(`${m.name}: ${m.note}`));
    if (r.baselineNeeded) {
      out.warn(`the platform tables exist (${r.baselineNeeded.length}) but no baseline is recorded: migrate up refuses; ${baselineFirst()}`);
    }
  },
});
