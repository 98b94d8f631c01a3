/**
 * bookops demo seed: fill a database whose platform tables exist and are empty with realistic
 * data and every seed defect planted, in one transaction (the `seed` subcommand of demo).
 */
import { command, option } from '../../cli/define.js';
import { integer } from '../../cli/parsers.js';
import { MAX_SCALE, MIN_SCALE, seedPlan } from '../../demo/plan.js';
import { assertSeedable } from '../../demo/preconditions.js';
import type { SeedReport } from '../../demo/types.js';
import { seedWithProgress } from '../../io/seed-progress.js';
import { renderPlanted, renderRows } from './render.js';

export type SeedResult = SeedReport | { dryRun: true; target: string; scale: number; plan: ReturnType<typeof seedPlan> };

export default command({
  name: 'seed',
  description:
    'fill the four modules of a database with the baseline schema and empty tables: realistic data plus ' +
    'every seed defect planted, set-based, in one transaction; reports the planted counts by audit check id',
  inputs: {
    scale: option('--scale <n>', 'about this many rows in each module main table (1 to 10,000,000)', integer(MIN_SCALE, MAX_SCALE), 1000),
  },
  examples: ['bookops demo seed --db postgres://me@localhost/scratch --scale 50 --json', 'bookops migrate up --to 0001 && bookops demo seed --scale 1000000'],
  run: async (ctx, o): Promise<SeedResult> => {
    const [target, db] = await Promise.all([ctx.target(), ctx.db()]);
    if (ctx.flags.dryRun) {
      await assertSeedable(db, target.label);
      return { dryRun: true, target: target.label, scale: o.scale, plan: seedPlan(o.scale) };
    }
    return seedWithProgress(ctx, o.scale, target.label);
  },
  render: (r, out) => {
    if ('dryRun' in r) {
      out.print(`would seed ${r.target} at scale ${r.scale} (tables present and empty); --dry-run wrote nothing`);
      return;
    }
    out.print(`seeded ${r.target} at scale ${r.scale} in ${r.seconds} s: ${renderRows(r)}`);
    out.print('');
    out.print(out.c.bold('Planted defects by module'));
    renderPlanted(r, out);
  },
});
