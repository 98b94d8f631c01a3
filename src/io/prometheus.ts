/**
 * Prometheus text exposition (format 0.0.4), and the atomic file write node_exporter's textfile
 * collector needs: it reads *.prom files at any moment, so the new content is written to a
 * temporary file in the same directory (same filesystem, not matching *.prom) and renamed over
 * the old one; a reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface MetricSample {
  labels?: Record<string, string>;
  /** null is exposed as NaN (e.g. an average over no samples). */
  value: number | null;
}

export interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: MetricSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * The families of several targets as one exposition's families: each family once (the format
 * wants a family's samples together, under one HELP and TYPE), every sample labelled with its
 * target first.
 */
export function mergeByTarget(perTarget: Array<{ target: string; metrics: Metric[] }>): Metric[] {
  const families = new Map<string, Metric>();
  for (const { target, metrics } of perTarget) {
    for (const m of metrics) {
      const family = families.get(m.name) ?? { ...m, samples: [] };
      families.set(m.name, family);
      family.samples.push(...m.samples.map((s) => ({ ...s, labels: { target, ...s.labels } })));
    }
  }
  return [...families.values()];
}

export function exposition(metrics: Metric[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    if (!NAME.test(m.name)) throw new Error(`invalid metric name ${m.name}`);
    lines.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels ?? {});
      for (const [k] of labels) if (!LABEL.test(k)) throw new Error(`invalid label name ${k}`);
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
      lines.push(`${m.name}${text} ${formatValue(s.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Writes `text` to `file` atomically: temp file in the same directory, fsync, rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o644);
  try {
    // node_exporter runs as another user: readable by all, whatever the umask.
    await handle.chmod(0o644);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // The rename is durable once the directory entry is: sync the directory too. Best effort: the
  // file is already in place, and some platforms and filesystems refuse to sync a directory.
  try {
    const dir = await open(dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // not durable across a crash there, but written
  }
}

/**
 * Why `file` cannot be written atomically, or undefined when it can be tried: its directory must
 * exist and be writable (the temporary file goes there), and the file must not be a directory.
 * Asked before any database work, so a typo in the path costs no query.
 */
export async function textfileProblem(file: string): Promise<string | undefined> {
  const dir = dirname(file);
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) return info.code === 'ENOENT' ? `directory ${dir} does not exist (ENOENT)` : `directory ${dir}: ${info.code ?? info.message}`;
  if (!info.isDirectory()) return `${dir} is not a directory (ENOTDIR)`;
  const writable = await access(dir, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!writable) return `directory ${dir} is not writable by this user (EACCES)`;
  if ((await stat(file).catch(() => undefined))?.isDirectory()) return `${file} is a directory (EISDIR)`;
  return undefined;
}
