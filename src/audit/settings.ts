/**
 * Audit settings from a config file and the command line (the command line wins):
 *
 *   {
 *     "audit": {
 *       "failOn": "warn",
 *       "sample": 20,
 *       "skip": ["recruiting.overlapping-slots"],
 *       "thresholds": {
 *         "outbox.stuck": { "locked-for": "15m", "pending-for": "2h" },
 *         "outbox.stuck.locked-for": "20m"
 *       }
 *     }
 *   }
 *
 * Durations are strings like 500ms, 30s, 15m, 2h, 1d, or a number of milliseconds. The "audit"
 * wrapper is optional (the file may hold the audit object itself); other top-level sections are
 * left for other commands. Unknown keys inside the audit object are an error (a typo must not
 * silently fall back to defaults).
 */
import { readFile } from 'node:fs/promises';
import { formatDuration, parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { CHECKS, findCheck } from './registry.js';
import type { CheckDefinition, Severity, ThresholdSpec, ThresholdValue } from './types.js';

export type FailOn = Extract<Severity, 'warn' | 'error'>;

export interface AuditConfig {
  failOn?: FailOn;
  sample?: number;
  skip?: string[];
  /** check id -> threshold name -> value */
  thresholds: Record<string, Record<string, number>>;
}

const KEYS = new Set(['failOn', 'sample', 'skip', 'thresholds']);

export async function readConfig(path: string): Promise<AuditConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseConfig(doc, path);
}

export function parseConfig(doc: unknown, where: string): AuditConfig {
  if (!isObject(doc)) throw new UsageError(`${where}: expected a JSON object`);
  const audit = isObject(doc.audit) ? doc.audit : doc;
  const prefix = audit === doc ? '' : 'audit.';
  for (const key of Object.keys(audit)) {
    if (!KEYS.has(key)) throw new UsageError(`${where}: unknown key ${prefix}${key} (known: ${[...KEYS].join(', ')})`);
  }
  const config: AuditConfig = { thresholds: {} };
  if (audit.failOn !== undefined) {
    if (audit.failOn !== 'warn' && audit.failOn !== 'error') throw new UsageError(`${where}: failOn must be "warn" or "error"`);
    config.failOn = audit.failOn;
  }
  if (audit.sample !== undefined) {
    if (!Number.isInteger(audit.sample) || (audit.sample as number) < 1 || (audit.sample as number) > 1000) {
      throw new UsageError(`${where}: sample must be a whole number between 1 and 1000`);
    }
    config.sample = audit.sample as number;
  }
  if (audit.skip !== undefined) {
    if (!Array.isArray(audit.skip) || audit.skip.some((s) => typeof s !== 'string')) throw new UsageError(`${where}: skip must be a list of check ids`);
    config.skip = audit.skip as string[];
  }
  if (audit.thresholds !== undefined) {
    if (!isObject(audit.thresholds)) throw new UsageError(`${where}: thresholds must be an object`);
    for (const [key, value] of Object.entries(audit.thresholds)) {
      if (isObject(value)) {
        for (const [name, v] of Object.entries(value)) setThreshold(config.thresholds, key, name, v, where);
      } else {
        const { id, name } = splitKey(key, where);
        setThreshold(config.thresholds, id, name, value, where);
      }
    }
  }
  return config;
}

/** `outbox.stuck.locked-for=15m` from --threshold. */
export function parseThresholdFlag(flag: string, into: Record<string, Record<string, number>>): void {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new UsageError(`--threshold ${flag}: expected <check>.<name>=<value>, e.g. outbox.stuck.locked-for=15m`);
  const { id, name } = splitKey(flag.slice(0, eq).trim(), '--threshold');
  setThreshold(into, id, name, flag.slice(eq + 1).trim(), '--threshold');
}

function splitKey(key: string, where: string): { id: string; name: string } {
  const dot = key.lastIndexOf('.');
  if (dot <= 0) throw new UsageError(`${where}: '${key}' is not <check>.<threshold> (${allThresholds()})`);
  return { id: key.slice(0, dot), name: key.slice(dot + 1) };
}

function setThreshold(into: Record<string, Record<string, number>>, id: string, name: string, value: unknown, where: string): void {
  const check = findCheck(id);
  if (!check) throw new UsageError(`${where}: unknown check '${id}' (thresholds: ${allThresholds()})`);
  const spec = check.thresholds?.find((t) => t.name === name);
  if (!spec) throw new UsageError(`${where}: ${id} has no threshold '${name}' (thresholds: ${allThresholds()})`);
  (into[id] ??= {})[name] = parseValue(spec, value, `${where} ${id}.${name}`);
}

function parseValue(spec: ThresholdSpec, value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  if (typeof value !== 'string') throw new UsageError(`${what}: expected ${spec.kind === 'duration' ? 'a duration such as 15m' : 'a number'}`);
  if (spec.kind === 'duration') return parseDuration(value, what);
  if (!/^\d+$/.test(value)) throw new UsageError(`${what}: expected a whole number, got '${value}'`);
  return Number(value);
}

function allThresholds(): string {
  return CHECKS.flatMap((c) => (c.thresholds ?? []).map((t) => `${c.id}.${t.name}`)).join(', ') || 'none';
}

/** The thresholds one check runs with: defaults, then the config file, then --threshold. */
export function thresholdsFor(
  check: CheckDefinition,
  ...layers: Array<Record<string, Record<string, number>>>
): { values: Record<string, number>; shown: Record<string, ThresholdValue> } {
  const values: Record<string, number> = {};
  const shown: Record<string, ThresholdValue> = {};
  for (const spec of check.thresholds ?? []) {
    let value = spec.default;
    for (const layer of layers) value = layer[check.id]?.[spec.name] ?? value;
    values[spec.name] = value;
    shown[spec.name] =
      spec.kind === 'duration' ? { value, unit: 'ms', text: formatDuration(value) } : { value, unit: 'count', text: String(value) };
  }
  return { values, shown };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
