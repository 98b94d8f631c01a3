/**
 * A migration is one plain .sql file a DBA can review, in dbmate's layout:
 *
 *   -- what it does and why (header comments)
 *   -- bookops:requires-tables interviews        (optional header directives)
 *   -- migrate:preflight <what the rows mean>    (optional: a query that must return no rows,
 *   SELECT ...;                                   or `-- bookops:rule <rule id>`: a rule bookops
 *                                                 keeps once, src/migrate/preflight-rules.ts)
 *   SELECT ...;
 *   -- migrate:up transaction:false              (transaction:false for CREATE INDEX CONCURRENTLY)
 *   ...statements...
 *   -- migrate:down-preflight <what the rows mean> (optional: rows that would make down fail)
 *   SELECT ...;
 *   -- migrate:down
 *   ...statements...                             (absent: the migration cannot be reverted)
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { splitStatements, type SqlStatement } from './split-statements.js';
import { invokedOnTarget } from '../invocation.js';

export interface Preflight {
  description: string;
  line: number;
  /** The query of the migration file. */
  sql?: string;
  /** Or the rule of bookops' own it names (`-- bookops:rule <id>`), the one the audit and the repairs read. */
  rule?: string;
}

export interface MigrationFile {
  /** The file name with its .sql extension: what the migrations table stores. */
  name: string;
  path: string;
  checksum: string;
  description: string;
  transactional: boolean;
  preflight?: Preflight;
  /** Rows that would make `down` fail (a unique key it restores, say): down refuses first. */
  downPreflight?: Preflight;
  up: SqlStatement[];
  down?: SqlStatement[];
  directives: Record<string, string>;
  /**
   * Checksums this migration was recorded with by earlier releases of bookops whose file differed
   * only where the database never sees it (`-- bookops:earlier-checksum <sha256>`): an applied
   * migration recorded with one of them is not "changed".
   */
  earlierChecksums: string[];
  isBaseline: boolean;
}

const MARKER = /^--\s*migrate:(up|down-preflight|down|preflight)\b(.*)$/;
const DIRECTIVE = /^--\s*bookops:([a-z-]+)\s*(.*)$/;
const EARLIER = /^--\s*bookops:earlier-checksum\s+([0-9a-f]{64})\b/;
const RULE = /^--\s*bookops:rule\s+([a-z0-9.-]+)\s*$/;
export const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

/**
 * The checksum `migrate status` compares with what was applied. The preflight and down-preflight
 * sections are left out: they are read-only checks, and changing one changes nothing the database
 * received (so it must not flag an applied migration as edited); so are the earlier checksums.
 */
export function checksumOf(text: string): string {
  const kept: string[] = [];
  let inPreflight = false;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const marker = MARKER.exec(line.trim());
    if (marker) inPreflight = marker[1] === 'down-preflight' || marker[1] === 'preflight';
    if (!inPreflight && !EARLIER.test(line.trim())) kept.push(line);
  }
  return createHash('sha256').update(kept.join('\n')).digest('hex');
}

export function parseMigration(name: string, path: string, text: string): MigrationFile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const sections: Record<string, { start: number; args: string; body: string[] }> = {};
  const header: string[] = [];
  const directives: Record<string, string> = {};
  const earlierChecksums: string[] = [];
  let current: string | undefined;
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line.trim());
    if (marker) {
      const [, kind, args] = marker;
      if (sections[kind]) throw new UsageError(`${name}:${index + 1}: a second '-- migrate:${kind}' section`);
      current = kind;
      sections[kind] = { start: index + 2, args: args.trim(), body: [] };
      return;
    }
    if (current) {
      sections[current].body.push(line);
      return;
    }
    const earlier = EARLIER.exec(line.trim());
    const directive = DIRECTIVE.exec(line.trim());
    if (earlier) earlierChecksums.push(earlier[1]);
    else if (directive) directives[directive[1]] = directive[2].trim();
    else if (line.startsWith('--')) header.push(line.replace(/^--\s?/, '').trim());
  });
  if (!sections.up) throw new UsageError(`${name}: no '-- migrate:up' section`);

  const statementsOf = (kind: string) => splitStatements(sections[kind].body.join('\n'), sections[kind].start);
  const up = statementsOf('up');
  if (up.length === 0) throw new UsageError(`${name}: the up section has no statements`);
  const transactional = !/transaction:\s*false/.test(sections.up.args);
  const repeated = [...up, ...(sections.down ? statementsOf('down') : [])].find((s) => /^--\s*bookops:repeat\b/m.test(s.sql));
  if (transactional && repeated) {
    throw new UsageError(`${name}:${repeated.line}: bookops:repeat needs a migration that runs outside a transaction`);
  }
  const preflightOf = (kind: 'preflight' | 'down-preflight'): Preflight | undefined => {
    if (!sections[kind]) return undefined;
    // Its hint ("resolve with: bookops …") as this bookops was invoked, on this database, so it can be pasted.
    const description = (sections[kind].args || 'rows that would violate this migration').replace(/\(resolve with: bookops /, `(resolve with: ${invokedOnTarget()} `);
    const ruleAt = sections[kind].body.findIndex((l) => RULE.test(l.trim()));
    if (ruleAt >= 0) return { description, rule: RULE.exec(sections[kind].body[ruleAt].trim())![1], line: sections[kind].start + ruleAt };
    const statements = statementsOf(kind);
    if (statements.length !== 1) throw new UsageError(`${name}: the ${kind} section must hold exactly one query, or -- bookops:rule <id>`);
    return { description, ...statements[0] };
  };
  return {
    name,
    path,
    checksum: checksumOf(text),
    // The first paragraph of the header comments.
    description: header.slice(0, header.indexOf('') === -1 ? undefined : header.indexOf('')).join(' ').replace(/\s+/g, ' ').trim(),
    transactional,
    preflight: preflightOf('preflight'),
    downPreflight: preflightOf('down-preflight'),
    up,
    down: sections.down && statementsOf('down').length ? statementsOf('down') : undefined,
    directives,
    earlierChecksums,
    isBaseline: name.includes('baseline'),
  };
}

export async function loadMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new UsageError(`migrations folder ${dir} does not exist (--migrations-dir, BOOKOPS_MIGRATIONS_DIR)`);
    throw err;
  });
  const names = entries.filter((f) => f.endsWith('.sql')).sort();
  const bad = names.find((n) => !MIGRATION_NAME.test(n));
  if (bad) throw new UsageError(`migration file name '${bad}' does not match NNNN_name.sql`);
  return Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      return parseMigration(name, path, await readFile(path, 'utf8'));
    }),
  );
}

/** Accepts '0003', '0003_x', '0003_x.sql'; a usage error names the choices otherwise. */
export function findMigration(all: MigrationFile[], wanted: string): MigrationFile {
  const key = wanted.trim().replace(/\.sql$/, '');
  const match = all.filter((m) => m.name === `${key}.sql` || m.name.startsWith(`${key}_`));
  if (match.length === 1) return match[0];
  throw new UsageError(
    `no migration '${wanted}'${match.length > 1 ? ' (ambiguous)' : ''}; choose one of: ${all.map((m) => m.name).join(', ')}`,
  );
}
