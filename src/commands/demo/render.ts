/** How people see a seed report (`demo`, `demo seed`): the planted defects by module, and the rows written. */
import type { Output } from '../../io/output.js';
import type { NextStep } from '../../demo/next-steps.js';
import type { SeedReport } from '../../demo/types.js';

export function renderPlanted(report: SeedReport, out: Output): void {
  const entries = Object.entries(report.planted);
  let previous = '';
  const rows = entries.map(([id, p]) => {
    const module = p.module === previous ? '' : p.module;
    previous = p.module;
    const count = p.count === 0 ? out.c.dim('0') : out.c.yellow(String(p.count));
    return [module, id, count, p.unit, p.note];
  });
  out.print(out.table(['module', 'check', 'count', 'unit', 'what was planted'], rows));
}

export function renderRows(report: SeedReport): string {
  const total = Object.values(report.rows).reduce((a, b) => a + b, 0);
  return `${total.toLocaleString('en-US')} rows in ${Object.keys(report.rows).length} tables`;
}

export function renderNext(steps: NextStep[], out: Output, extra?: string): void {
  out.print(out.c.bold('Try next:'));
  const width = Math.max(...steps.map((s) => s.command.length));
  for (const s of steps) out.print(`  ${out.c.cyan(s.command.padEnd(width))}  ${s.why}`);
  if (extra) out.print(`  ${extra}`);
}
