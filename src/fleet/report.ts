/**
 * One report of a run, over one target or several: the JSON document, the terminal (a section
 * per target, then a summary table), Prometheus text (every series labelled with its target,
 * bookops_up for each), or a command's own document format (markdown, junit). Commands give
 * only how one target's result is rendered, summed up in a line, and measured.
 */
import { UsageError } from '../errors.js';
import { withHintsOn } from '../invocation.js';
import { VERSION } from '../version.js';
import { mergeByTarget, exposition, writeFileAtomic, type Metric } from '../io/prometheus.js';
import { upMetric } from '../io/metrics.js';
import type { Output } from '../io/output.js';
import { safeText } from '../io/safe-text.js';
import { answered, worstOf, type TargetRun } from './run.js';

export interface Presenter<R> {
  /** One target's result for people. */
  render?(result: R, out: Output): void;
  /** One line for the summary table. */
  summary?(result: R): string;
  /** One target's Prometheus families (no target label: added here). */
  metrics?(result: R): Metric[];
  /** Whole documents by --format name (markdown, junit), over every target's run. */
  documents?: Record<string, (runs: Array<TargetRun<R>>) => string>;
}

export interface ReportRequest {
  /** Several targets (the fleet document), or one (the single-target document, as with --db). */
  several: boolean;
  json: boolean;
  /** --format: table (the default), prometheus, or a document name. */
  format?: string;
  /** --prometheus <file>: also write the Prometheus text there, atomically. */
  prometheusFile?: string;
}

export interface FleetDocument {
  generatedAt: string;
  version: string;
  targets: Array<Record<string, unknown>>;
  exitCode: number;
}

/** The --json document of a run over several targets: each target's own document under its name. */
export function fleetDocument(runs: Array<TargetRun<unknown>>): FleetDocument {
  // When and by which bookops, as each target's document says: an unreachable target's has neither.
  return { generatedAt: new Date().toISOString(), version: VERSION, targets: runs.map(targetDocument), exitCode: worstOf(runs) };
}

function targetDocument(run: TargetRun<unknown>): Record<string, unknown> {
  const own = (run.result ?? {}) as Record<string, unknown>;
  // The single-target document names its target by address and has its own exitCode: here the name leads.
  const { target: _address, exitCode: _code, ...rest } = own;
  return { target: run.target, address: run.address, exitCode: run.exitCode, seconds: run.seconds, ...rest, ...(run.error ? { error: run.error } : {}) };
}

/** Prometheus text of the runs: bookops_up for each target, and its families when it answered. */
export function prometheusText<R>(runs: Array<TargetRun<R>>, metrics: (result: R) => Metric[]): string {
  return exposition(mergeByTarget(runs.map((r) => ({ target: r.target, metrics: [upMetric(answered(r)), ...(r.result === undefined ? [] : metrics(r.result))] }))));
}

/** The usage errors of a report request, found before any target is asked. */
export function checkRequest(p: Presenter<unknown>, req: ReportRequest): void {
  if (req.format && req.json) throw new UsageError(`--format ${req.format} and --json exclude each other`);
  if (req.format === 'prometheus' && !p.metrics) throw new UsageError('this command has no Prometheus output');
}

/** Prints (and writes) the report of the runs. */
export async function report<R>(runs: Array<TargetRun<R>>, p: Presenter<R>, req: ReportRequest, out: Output): Promise<void> {
  const text = p.metrics && (req.format === 'prometheus' || req.prometheusFile) ? prometheusText(runs, p.metrics) : undefined;
  let written: string | undefined;
  if (req.prometheusFile && text !== undefined) {
    try {
      await writeFileAtomic(req.prometheusFile, text);
    } catch (err) {
      // The old file, if any, is left as it was: node_exporter keeps serving it (and its mtime shows its age).
      throw new UsageError(`cannot write ${req.prometheusFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
        hint: 'the directory must exist and be writable by this user',
      });
    }
    written = req.prometheusFile;
  }
  if (req.format === 'prometheus') {
    out.stdout.write(text!);
    return;
  }
  const document = req.format ? p.documents?.[req.format] : undefined;
  if (document) {
    // A report carries samples of rows as the database holds them: escaped for the terminal it may be read on (safe-text.ts).
    out.stdout.write(safeText(document(runs)));
    return;
  }
  if (req.json) {
    out.printJson(req.several ? fleetDocument(runs) : { ...(runs[0].result as object), ...(written ? { written } : {}) });
    return;
  }
  // Written for node_exporter (cron): one line on stderr, none with --quiet; the values are in the file.
  if (written) {
    out.info(`wrote ${written}`);
    return;
  }
  if (!req.several) {
    p.render?.(runs[0].result as R, out);
    return;
  }
  renderSections(runs, p, out);
}

function renderSections<R>(runs: Array<TargetRun<R>>, p: Presenter<R>, out: Output): void {
  for (const run of runs) {
    out.print(out.c.bold(`== ${run.target} (${run.address}): exit ${run.exitCode}`));
    if (run.result !== undefined) withHintsOn(run.target, () => p.render?.(run.result!, out));
    else out.print(out.c.red(`error: ${run.error!.message}${run.error!.hint ? ` (${run.error!.hint})` : ''}`));
    out.print('');
  }
  out.print(
    out.table(
      ['target', 'address', 'exit', 'result'],
      runs.map((r) => [r.target, r.address, r.exitCode, r.result !== undefined ? (p.summary?.(r.result) ?? 'ok') : r.error!.message]),
    ),
  );
  out.print(`${runs.length} target(s), exit ${worstOf(runs)} (the worst of them)`);
}
