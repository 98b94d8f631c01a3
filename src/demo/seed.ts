/**
 * `bookops demo seed`: fills the four modules with a healthy base of about `scale` rows per main
 * table and plants every seed defect on top, set-based (INSERT ... SELECT FROM generate_series),
 * in one transaction: a failed or interrupted seeding leaves the tables empty, ready for another
 * try. Every planted count comes from the planting statements, never from an audit query.
 */
import type { Knex } from 'knex';
import * as demo from '../data/demo.repository.js';
import { RefusedError } from '../errors.js';
import { DEMO_CHECKS, DEMO_CHECK_IDS, type DemoCheckId, type PlantedCount } from './checks.js';
import { schemaFacts } from './facts.js';
import { saveReport } from './marker.js';
import { plantInterviews, seedInterviews } from './modules/interviews.js';
import { plantLessons, seedLessons } from './modules/lessons.js';
import { plantRecruiting, seedRecruiting } from './modules/recruiting.js';
import { plantWhatsapp, seedWhatsapp } from './modules/whatsapp.js';
import { assertSeedable, PLATFORM_TABLES } from './preconditions.js';
import { seedPlan } from './plan.js';
import type { PlantResult, SeedReport } from './types.js';

export const SEED_STEPS = [
  'interviews: time slots and interviews',
  'recruiting: recruiters, slots, notification logs, outbox',
  'whatsapp: numbers, bots, conversations, messages, broadcasts',
  'lessons: users, chat rooms, lessons, bookings',
  'planting the seed defects',
  'counting rows',
  'analyzing the tables',
] as const;

export interface SeedOptions {
  scale: number;
  /** Printable target (user@host:port/db), recorded in the report. */
  target: string;
  /** false: the healthy base only, every count 0 (tests use it to show the base triggers no check). */
  defects?: boolean;
  /** Called before each step of SEED_STEPS. */
  onStep?: (step: string, index: number, total: number) => void;
}

export async function seedDemo(db: Knex, opts: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  const plan = seedPlan(opts.scale);
  const step = (i: number) => opts.onStep?.(SEED_STEPS[i], i, SEED_STEPS.length);

  return db.transaction(async (trx) => {
    if (!(await demo.trySeedLock(trx))) throw new RefusedError(`another bookops demo seed is running on ${opts.target}`, { hint: 'wait for it to finish' });
    await assertSeedable(trx, opts.target);
    const facts = await schemaFacts(trx);

    step(0);
    await seedInterviews(trx, plan);
    step(1);
    await seedRecruiting(trx, plan);
    step(2);
    const whatsappNumber = await seedWhatsapp(trx, plan);
    step(3);
    await seedLessons(trx, plan);
    await demo.step(trx, 'sync-sequences');

    step(4);
    const results: PlantResult[] =
      opts.defects === false
        ? [{ planted: notPlanted(), samples: {} }]
        : [
            await plantInterviews(trx, plan, facts),
            await plantRecruiting(trx, plan, facts),
            await plantWhatsapp(trx),
            await plantLessons(trx, plan),
          ];

    step(5);
    const [counts] = await demo.step<Record<string, number>>(trx, 'row-counts');
    // Fresh statistics (ANALYZE sees this transaction's rows), so the audit gets sensible plans.
    step(6);
    await demo.analyze(trx, PLATFORM_TABLES);
    const report: SeedReport = {
      target: opts.target,
      scale: opts.scale,
      seconds: elapsed(started),
      seededAt: new Date().toISOString(),
      planted: collect(results),
      rows: Object.fromEntries(PLATFORM_TABLES.map((t) => [t, Number(counts[t])])),
      samples: Object.assign({ whatsappNumber }, ...results.map((r) => r.samples)),
    };
    await saveReport(trx, report);
    return report;
  });
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}

function notPlanted(): PlantResult['planted'] {
  return Object.fromEntries(DEMO_CHECK_IDS.map((id) => [id, { count: 0, note: 'not planted: healthy base only' }]));
}

/** One entry per data check, in the order of docs/CHECKS.md. */
function collect(results: PlantResult[]): Record<DemoCheckId, PlantedCount> {
  const merged = Object.assign({}, ...results.map((r) => r.planted)) as PlantResult['planted'];
  const planted = {} as Record<DemoCheckId, PlantedCount>;
  for (const id of DEMO_CHECK_IDS) {
    const entry = merged[id];
    if (!entry) throw new Error(`demo seed: no count for ${id}`);
    planted[id] = { count: entry.count, module: DEMO_CHECKS[id].module, unit: DEMO_CHECKS[id].unit, note: entry.note };
  }
  return planted;
}
