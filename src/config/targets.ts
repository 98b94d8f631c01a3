/**
 * Which targets a run talks to when they are named: --target <name> (repeatable) or
 * --all-targets, from the config file's `targets`. Either excludes --db (a usage error). A
 * configured connection string becomes a Target through resolveConfigured only, which hands it to
 * the one resolution of a target string (resolveTargetString: URL, keyword/value, service=...).
 */
import { UsageError } from '../errors.js';
import type { ConfigFile, TargetEntry } from './file.js';
import { resolveTargetString, type Target } from './target.js';

export interface NamedTarget {
  /** The config file's name for it: the `target` of reports and metrics. */
  name: string;
  target: Target;
  /** Its own audit settings (unparsed), over the file's. */
  audit?: unknown;
}

export interface TargetFlags {
  db?: string;
  target?: string[];
  allTargets?: boolean;
}

/** True when the command line names targets of the config file. */
export function namesTargets(flags: TargetFlags): boolean {
  return Boolean(flags.allTargets || flags.target?.length);
}

/**
 * The named targets the flags select, in the order given (--all-targets: the file's order), each
 * once; every one is resolved here, so a bad connection string stops the run before any connects.
 */
export function selectTargets(config: ConfigFile, flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): NamedTarget[] {
  if (flags.db !== undefined && namesTargets(flags)) {
    throw new UsageError(`--db and ${flags.allTargets ? '--all-targets' : '--target'} exclude each other: name the database one way`);
  }
  if (flags.allTargets && flags.target?.length) throw new UsageError('--target and --all-targets exclude each other');
  const known = config.targets;
  if (known.length === 0) {
    throw new UsageError(
      config.path
        ? `no targets configured: the config file ${config.path} has no "targets" section`
        : 'no targets configured: no config file found (--config, BOOKOPS_CONFIG, ./bookops.json, $XDG_CONFIG_HOME/bookops/config.json)',
    );
  }
  const wanted = flags.allTargets ? known.map((t) => t.name) : [...new Set(flags.target)];
  return wanted.map((name) => {
    const entry = known.find((t) => t.name === name);
    if (!entry) throw new UsageError(`unknown target '${name}' (configured in ${config.path}: ${known.map((t) => t.name).join(', ')})`);
    return resolveConfigured(entry, config.path ?? 'config', env);
  });
}

/** A configured target's connection string as a Target: the one call into the resolution of a target string. */
export function resolveConfigured(entry: TargetEntry, path: string, env: NodeJS.ProcessEnv = process.env): NamedTarget {
  return { name: entry.name, target: resolveTargetString(entry.db, { source: 'config', where: `${path}: targets.${entry.name}`, env }), audit: entry.audit };
}
