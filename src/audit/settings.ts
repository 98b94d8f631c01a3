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
 *         "chats.missing.min-count": 5
 *       }
 *     }
 *   }
 *
 * A threshold is given nested (check id -> name -> value) or flat ("<check>.<name>": value), once:
 * the same threshold twice in one file is an error, as neither copy is clearly the one meant.
 * Durations are strings like 500ms, 30s, 15m, 2h, 1d, or a number of milliseconds; counts
 * (min-count) are whole numbers, as a number or a string. The "audit" wrapper is optional (the
 * file may hold the audit object itself, src/config/file.ts); a target of the file may have an
 * "audit" section of its own, over the file's. Unknown keys inside an audit object are an error
 * (a typo must not silently fall back to defaults).
 */
import { formatDuration, parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { CHECKS, MIN_COUNT, findCheck, selectChecks, thresholdSpecs } from './registry.js';
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

/**
 * One audit section: the config file's (`where` its path; `flat` when the whole file is the
 * section) or a target's (`targets.<name>.audit`).
 */
export function parseAuditSection(section: unknown, file: string, opts: { prefix?: string; flat?: boolean; nested?: boolean } = {}): AuditConfig {
  if (section === undefined) return { thresholds: {} };
  const prefix = opts.prefix ?? 'audit.';
  // A section inside another (a target's own) is named in every message: the file alone does not say which.
  const where = opts.nested ? `${file}: ${prefix.replace(/\.$/, '')}` : file;
  if (!isObject(section)) throw new UsageError(`${file}: ${prefix.replace(/\.$/, '') || 'the file'} must be an object`);
  const audit = section;
  for (const key of Object.keys(audit)) {
    if (!KEYS.has(key)) throw new UsageError(`${file}: unknown key ${opts.flat ? '' : prefix}${key} (known: ${[...KEYS].join(', ')})`);
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
    // An unknown id is refused here, where the list is known (a target's, or the file's own).
    try {
      selectChecks(config.skip);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${file}: ${opts.flat ? '' : prefix}skip: ${err.message}`);
      throw err;
    }
  }
  if (audit.thresholds !== undefined) {
    if (!isObject(audit.thresholds)) throw new UsageError(`${where}: thresholds must be an object`);
    const set = (id: string, name: string, value: unknown) => {
      if (config.thresholds[id]?.[name] !== undefined) {
        throw new UsageError(`${where}: threshold ${id}.${name} is given twice (nested and flat); keep one`);
      }
      setThreshold(config.thresholds, id, name, value, where);
    };
    for (const [key, value] of Object.entries(audit.thresholds)) {
      if (isObject(value)) {
        for (const [name, v] of Object.entries(value)) set(key, name, v);
      } else {
        const { id, name } = splitKey(key, where);
        set(id, name, value);
      }
    }
  }
  return config;
}

/** `outbox.stuck.locked-for=15m` from --threshold; given twice, the last one wins (as for any option). */
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
  const specs = thresholdSpecs(check);
  const spec = specs.find((t) => t.name === name);
  if (!spec) {
    const its = specs.length ? `its thresholds: ${specs.map((t) => `${id}.${t.name}`).join(', ')}` : 'an informational check has none';
    throw new UsageError(`${where}: ${id} has no threshold '${name}' (${its})`);
  }
  (into[id] ??= {})[name] = parseValue(spec, value, `${where} ${id}.${name}`);
}

function parseValue(spec: ThresholdSpec, value: unknown, what: string): number {
  if (spec.kind === 'integer') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    const min = spec.min ?? 0;
    if (!Number.isSafeInteger(n) || n < min) {
      throw new UsageError(`${what}: expected a whole number >= ${min}, got ${typeof value === 'string' ? `'${value}'` : JSON.stringify(value)}`);
    }
    return n;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  if (typeof value !== 'string') throw new UsageError(`${what}: expected a duration such as 15m`);
  return parseDuration(value, what);
}

/** For error messages: min-count once, then each check's own thresholds. */
function allThresholds(): string {
  const own = CHECKS.flatMap((c) => (c.thresholds ?? []).map((t) => `${c.id}.${t.name}`));
  return [`<check>.${MIN_COUNT.name} (every check but info ones)`, ...own].join(', ');
}

/** The thresholds one check runs with: defaults, then the config file, then --threshold. */
export function thresholdsFor(
  check: CheckDefinition,
  ...layers: Array<Record<string, Record<string, number>>>
): { values: Record<string, number>; shown: Record<string, ThresholdValue> } {
  const values: Record<string, number> = {};
  const shown: Record<string, ThresholdValue> = {};
  for (const spec of thresholdSpecs(check)) {
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
