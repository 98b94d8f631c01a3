/** The demo seeding with one progress line per step on a terminal, nothing when piped (`demo` and `demo seed`). */
import { seedDemo } from '../demo/seed.js';
import type { SeedReport } from '../demo/types.js';
import type { Context } from './context.js';
import { startProgress } from './progress.js';

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
