/**
 * The demo's steps with one progress line each on a terminal, nothing when piped or with --json
 * (`demo` and `demo seed`): the legacy baseline, then the seeding.
 */
import { seedDemo } from '../demo/seed.js';
import type { SeedReport } from '../demo/types.js';
import type { Context } from './context.js';
import { startProgress } from './progress.js';
import { migrateUp } from '../migrate/runner.js';
import { runnerDeps } from './runner-deps.js';

/** Applies the legacy baseline (0001) on an empty database; the runner's lines go to the progress line. */
export async function baselineWithProgress(ctx: Context, target: string): Promise<string[]> {
  const progress = await startProgress(ctx.out, `creating the legacy schema on ${target}`);
  try {
    const applied = (await migrateUp(await runnerDeps(ctx, { log: (line) => progress.text(line.trim()) }), { to: '0001' })).map((m) => m.name);
    progress.succeed(`applied ${applied.join(', ')} on ${target}`);
    return applied;
  } catch (err) {
    progress.fail('creating the legacy schema failed');
    throw err;
  }
}

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
