/**
 * The config file: where it is, and its sections. The first that exists of --config,
 * BOOKOPS_CONFIG, ./bookops.json and $XDG_CONFIG_HOME/bookops/config.json (~/.config when unset);
 * a file named by --config or BOOKOPS_CONFIG must exist, the two default places may be empty.
 *
 *   {
 *     "targets": {
 *       "recruiting-prod": "postgres://ops@db1.internal:5432/recruiting",
 *       "lessons-prod": "host=db2.internal dbname=lessons user=ops",
 *       "whatsapp-prod": { "db": "service=whatsapp", "audit": { "failOn": "warn" } }
 *     },
 *     "audit": { "failOn": "error", "thresholds": { "outbox.stuck": { "locked-for": "15m" } } }
 *   }
 *
 * This floor knows the shape of `targets` (name -> connection string, or an object with `db` and
 * an `audit` section); the audit sections are read by src/audit/settings.ts, which knows their
 * keys. A file with neither `targets` nor `audit` is the audit section itself (the original form);
 * one with either has no other key (but `$schema`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface TargetEntry {
  name: string;
  /** A postgres:// URL, a libpq keyword/value string, or service=name. */
  db: string;
  /** This target's audit settings, over the file's own (unparsed: src/audit/settings.ts reads them). */
  audit?: unknown;
}

export interface ConfigFile {
  /** Where it was read from; undefined when there is none. */
  path?: string;
  /** The audit section (the whole file in the original form). */
  audit?: unknown;
  /** The original form: the whole file is the audit section (no "audit" or "targets" key). */
  flat?: boolean;
  targets: TargetEntry[];
}

export const NO_CONFIG: ConfigFile = { targets: [] };

const TARGET_KEYS = ['db', 'audit'];
/** The sections of a file that has any; `$schema` is an editor's hint, read by no one here. */
const SECTION_KEYS = ['targets', 'audit', '$schema'];
/** A target's name is a Prometheus label value and a word on the command line. */
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The config file path in force, and whether it was named (then it must exist). */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { path: string; named: boolean } | undefined {
  if (flag) return { path: resolve(cwd, flag), named: true };
  if (env.BOOKOPS_CONFIG) return { path: resolve(cwd, env.BOOKOPS_CONFIG), named: true };
  const local = join(cwd, 'bookops.json');
  if (existsSync(local)) return { path: local, named: false };
  const xdg = join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'bookops', 'config.json');
  if (existsSync(xdg)) return { path: xdg, named: false };
  return undefined;
}

export function loadConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigFile {
  const where = configPath(flag, env, cwd);
  if (!where) return NO_CONFIG;
  let text: string;
  try {
    text = readFileSync(where.path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the config file ${where.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where.path}: not valid JSON (${(err as Error).message})`);
  }
  return parseConfigFile(doc, where.path);
}

export function parseConfigFile(doc: unknown, path: string): ConfigFile {
  if (!isObject(doc)) throw new UsageError(`${path}: expected a JSON object`);
  const sectioned = 'targets' in doc || 'audit' in doc;
  if (!sectioned) return { path, audit: doc, flat: true, targets: [] };
  // A typo'd section ("target", "Audit") must not pass silently, as a typo'd key does inside one.
  const unknown = Object.keys(doc).filter((k) => !SECTION_KEYS.includes(k));
  if (unknown.length) throw new UsageError(`${path}: unknown key ${unknown.join(', ')} (known: ${SECTION_KEYS.join(', ')})`);
  return { path, audit: doc.audit, targets: doc.targets === undefined ? [] : parseTargets(doc.targets, path) };
}

function parseTargets(section: unknown, path: string): TargetEntry[] {
  if (!isObject(section)) throw new UsageError(`${path}: targets must be an object of name -> connection string or { "db": ... }`);
  return Object.entries(section).map(([name, value]) => {
    const where = `${path}: targets.${name}`;
    if (!TARGET_NAME.test(name)) throw new UsageError(`${where}: a target name is letters, digits, '.', '_' and '-' (it is a label of every metric)`);
    if (typeof value === 'string') return { name, db: nonEmpty(value, where) };
    if (!isObject(value)) throw new UsageError(`${where}: expected a connection string or an object with "db"`);
    const unknown = Object.keys(value).filter((k) => !TARGET_KEYS.includes(k));
    if (unknown.length) throw new UsageError(`${where}: unknown key ${unknown.join(', ')} (known: ${TARGET_KEYS.join(', ')})`);
    if (typeof value.db !== 'string') throw new UsageError(`${where}: "db" must be a connection string (URL, host=... or service=...)`);
    return { name, db: nonEmpty(value.db, `${where}.db`), ...(value.audit === undefined ? {} : { audit: value.audit }) };
  });
}

function nonEmpty(text: string, where: string): string {
  if (!text.trim()) throw new UsageError(`${where}: the connection string is empty`);
  return text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
