/**
 * A rule's offending rows as the audit and the migration preflights read them: how many there are
 * and the first of them. Each rule is a named block of its area; `<rule>-count` and
 * `<rule>-sample` include it. Never `count(*) OVER ()` under a LIMIT, whose plan the planner may
 * pick for the LIMIT alone: the rule's rows are read in full once, then counted and sampled.
 */
import { first, rowSource, rows, sql, type Db, type Sql, type SqlParams } from './sql.js';

export type Row = Record<string, unknown>;

export interface Findings<R = Row> {
  count: number;
  sample: R[];
  /** Other totals the count query returns (chats.missing: the bookings behind the pairs). */
  details?: Record<string, number>;
}

/**
 * The rule's count and, when a sample is wanted, its first `sample` rows. A rule whose `-count`
 * block reads it as `FROM ({{rule}})` runs once (findings/one-pass: its rows materialized, the
 * count and the sample read from them), so the audit pays one scan per check, as the count a DBA
 * types does; others (a predicate over one table, cheap to read twice) run `<ref>-count` and, when
 * it finds something, `<ref>-sample`.
 */
export async function findings<R = Row>(db: Db, ref: string, params: SqlParams, sample: number, slots: Record<string, Sql> = {}): Promise<Findings<R>> {
  const source = sample > 0 ? rowSource(`${ref}-count`) : undefined;
  if (source === undefined) return twoQueries<R>(db, ref, params, sample, slots);
  const area = ref.slice(0, ref.indexOf('/'));
  const fromFound = { ...slots, [source]: sql('findings/found') };
  const q = sql('findings/one-pass', {
    'findings-rule': sql(source.includes('/') ? source : `${area}/${source}`, slots),
    'findings-count': sql(`${ref}-count`, fromFound),
    'findings-sample': sql(`${ref}-sample`, fromFound),
  });
  const found = await rows<{ bookops_counts: Record<string, unknown> } & Record<string, unknown>>(db, q, { ...params, sample });
  const { count, details } = counted(found[0]?.bookops_counts ?? { count: 0 });
  // With nothing to show, the one row the count makes carries no sample (its columns are NULL).
  const shown = found.map(({ bookops_counts: _counts, ...row }) => row).filter((row) => Object.values(row).some((v) => v !== null));
  return { count, sample: count === 0 ? [] : (shown as R[]), ...(details ? { details } : {}) };
}

async function twoQueries<R>(db: Db, ref: string, params: SqlParams, sample: number, slots: Record<string, Sql>): Promise<Findings<R>> {
  const { count, details } = counted((await first<Record<string, unknown>>(db, sql(`${ref}-count`, slots), params)) ?? { count: 0 });
  const found = count === 0 || sample <= 0 ? [] : await rows<R>(db, sql(`${ref}-sample`, slots), { ...params, sample });
  return { count, sample: found, ...(details ? { details } : {}) };
}

/** The count and the other totals of a count row, as numbers. */
function counted(row: Record<string, unknown>): { count: number; details?: Record<string, number> } {
  const { count: total, ...others } = row;
  const details = Object.keys(others).length ? Object.fromEntries(Object.entries(others).map(([k, v]) => [k, Number(v)])) : undefined;
  return { count: Number(total ?? 0), ...(details ? { details } : {}) };
}
