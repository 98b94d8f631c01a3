/**
 * A rule's offending rows as the audit and the migration preflights read them: how many there are
 * and the first of them. Each rule is a named block of its area; `<rule>-count` and
 * `<rule>-sample` include it, so the total and the sample are two bounded queries (no
 * `count(*) OVER ()` under a LIMIT, whose plan the planner may pick for the LIMIT alone).
 */
import { first, rows, sql, type Db, type Sql, type SqlParams } from './sql.js';

export type Row = Record<string, unknown>;

export interface Findings<R = Row> {
  count: number;
  sample: R[];
  /** Other totals the count query returns (chats.missing: the bookings behind the pairs). */
  details?: Record<string, number>;
}

/** Runs `<ref>-count` and, when it finds something and a sample is wanted, `<ref>-sample` (:sample rows). */
export async function findings<R = Row>(db: Db, ref: string, params: SqlParams, sample: number, slots: Record<string, Sql> = {}): Promise<Findings<R>> {
  const { count: total, ...others } = (await first<Record<string, unknown>>(db, sql(`${ref}-count`, slots), params)) ?? { count: 0 };
  const count = Number(total ?? 0);
  const details = Object.keys(others).length ? Object.fromEntries(Object.entries(others).map(([k, v]) => [k, Number(v)])) : undefined;
  const found = count === 0 || sample <= 0 ? [] : await rows<R>(db, sql(`${ref}-sample`, slots), { ...params, sample });
  return { count, sample: found, ...(details ? { details } : {}) };
}
