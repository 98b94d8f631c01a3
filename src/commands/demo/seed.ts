import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { startProgress } from '../../cli/progress.js';
import { seedPlan } from '../../demo/plan.js';
import { assertSeedable } from '../../demo/preconditions.js';
import { seedDemo } from '../../demo/seed.js';
import type { SeedReport } from '../../demo/types.js';
import { renderPlanted, renderRows } from './render.js';

export interface SeedOptions {
  scale: number;
}

export type SeedResult = SeedReport | { dryRun: true; target: string; scale: number; plan: ReturnType<typeof seedPlan> };

export async function run(ctx: Context, opts: SeedOptions): Promise<SeedResult> {
  const [target, db] = await Promise.all([ctx.target(), ctx.db()]);
  if (ctx.flags.dryRun) {
    await assertSeedable(db, target.label);
    return { dryRun: true, target: target.label, scale: opts.scale, plan: seedPlan(opts.scale) };
  }
  return seedWithProgress(ctx, opts.scale, target.label);
}

/** The seeding with one progress line per step on a terminal, nothing when piped. */
export async function seedWithProgress(ctx: Context, scale: number, target: string): Promise<SeedReport> {
  const progress = await startProgress(ctx.out, `seeding ${target} at scale ${scale.toLocaleString('en-US')}`);
  try {
    const report = await seedDemo(await ctx.db(), {
      scale,
      target,
      onStep: (step, i, total) => progress.text(`(${i + 1}/${total}) ${step}`),
    });
    progress.succeed(`seeded ${target} at scale ${scale.toLocaleString('en-US')} in ${report.seconds} s`);
    return report;
  } catch (err) {
    progress.fail('seeding failed; nothing was written (it runs in one transaction)');
    throw err;
  }
}

export function render(r: SeedResult, out: Output): void {
  if ('dryRun' in r) {
    out.print(`would seed ${r.target} at scale ${r.scale} (tables present and empty); --dry-run wrote nothing`);
    return;
  }
  out.print(`seeded ${r.target} at scale ${r.scale} in ${r.seconds} s: ${renderRows(r)}`);
  out.print('');
  out.print(out.c.bold('Planted defects by module'));
  renderPlanted(r, out);
}
