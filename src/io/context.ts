/**
 * What every command receives: the global flags, the output, and the database, connected
 * lazily (a command that needs no database never starts the embedded cluster) and closed by
 * the top-level handler whatever happens.
 */
import type { Knex } from 'knex';
import type { ConfigFile } from '../config/file.js';
import type { NamedTarget } from '../config/targets.js';
import type { Target } from '../config/target.js';
import { DEFAULT_SESSION, type SessionOptions } from '../data/session.js';
import { InterruptedError } from '../errors.js';
import type { Output } from './output.js';

export interface GlobalFlags {
  db?: string;
  /** --config (or BOOKOPS_CONFIG, read by commander). */
  config?: string;
  /** --target <name>, repeatable: targets of the config file. */
  target?: string[];
  allTargets?: boolean;
  /** Targets run at once by a read-only command over several (--parallel). */
  parallel: number;
  /** Each target's run is bounded by this (--target-timeout). */
  targetTimeoutMs: number;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  yes: boolean;
  /** false for --no-input: never prompt, as if there were no terminal (clig.dev). */
  input: boolean;
  dryRun: boolean;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** Given on the command line or in BOOKOPS_CONNECT_TIMEOUT: wins over the target's own. */
  connectTimeoutExplicit?: boolean;
  sessionSettings: SessionOptions['settingsMode'];
  /** The command's own --format (src/cli/options.ts formatOption), when it has one: Output reads `plain`. */
  format?: string;
}

export const DEFAULT_FLAGS: GlobalFlags = {
  json: false,
  quiet: false,
  verbose: false,
  color: true,
  yes: false,
  input: true,
  dryRun: false,
  parallel: 4,
  targetTimeoutMs: 120_000,
  lockTimeoutMs: DEFAULT_SESSION.lockTimeoutMs,
  statementTimeoutMs: DEFAULT_SESSION.statementTimeoutMs,
  connectTimeoutMs: DEFAULT_SESSION.connectTimeoutMs,
  sessionSettings: 'auto',
};

export class Context {
  private targetPromise?: Promise<Target>;
  private dbPromise?: Promise<Knex>;
  private configFile?: ConfigFile;
  /** Set by a long-running command (serve): the first SIGINT/SIGTERM asks it to stop instead of exiting. */
  onStop?: (signal: NodeJS.Signals) => void;
  /** The command being run when it may write (set by the program): it refuses on a hot standby. */
  writer?: string;

  constructor(
    readonly flags: GlobalFlags,
    readonly out: Output,
    /** The command line as typed, recorded with archived operations. */
    readonly commandLine: string,
    readonly env: NodeJS.ProcessEnv = process.env,
    /** A context of one named target of a run over several (src/fleet), or of --target <name>. */
    readonly named?: NamedTarget,
    private readonly sessionOverrides: Partial<SessionOptions> = {},
  ) {}

  get session(): SessionOptions {
    return {
      lockTimeoutMs: this.flags.lockTimeoutMs,
      statementTimeoutMs: this.flags.statementTimeoutMs,
      connectTimeoutMs: this.flags.connectTimeoutMs,
      connectTimeoutExplicit: this.flags.connectTimeoutExplicit,
      settingsMode: this.flags.sessionSettings,
      ...this.sessionOverrides,
    };
  }

  /** The config file in force (--config, BOOKOPS_CONFIG, ./bookops.json, $XDG_CONFIG_HOME/bookops/config.json), read once. */
  async config(): Promise<ConfigFile> {
    if (!this.configFile) {
      const { loadConfigFile } = await import('../config/file.js');
      this.configFile = loadConfigFile(this.flags.config, this.env);
    }
    return this.configFile;
  }

  /**
   * Reads the config file now when one is named (--config, BOOKOPS_CONFIG), whether or not the
   * command uses it: a file the user named that is missing, unreadable or not JSON is a usage error
   * (exit 2) for every command, not only for those that read targets or audit settings.
   */
  async checkNamedConfig(): Promise<void> {
    const { configPath } = await import('../config/file.js');
    if (configPath(this.flags.config, this.env)?.named) await this.config();
  }

  /**
   * The named targets this run was given (--target, --all-targets), resolved; null when it names
   * none (--db, DATABASE_URL, PG*, the embedded cluster).
   */
  async namedTargets(): Promise<NamedTarget[] | null> {
    const { namesTargets, selectTargets } = await import('../config/targets.js');
    if (this.named) return [this.named];
    if (!namesTargets(this.flags)) return null;
    return selectTargets(await this.config(), this.flags, this.env);
  }

  /** True when the command line asks for a report over several targets (--all-targets, or --target twice). */
  get overSeveral(): boolean {
    return !this.named && Boolean(this.flags.allTargets || (this.flags.target && new Set(this.flags.target).size > 1));
  }

  /** A context bound to one named target (the same flags and output unless given). */
  forTarget(named: NamedTarget, opts: { out?: Output; session?: Partial<SessionOptions> } = {}): Context {
    const child = new Context(this.flags, opts.out ?? this.out, this.commandLine, this.env, named, { ...this.sessionOverrides, ...opts.session });
    child.configFile = this.configFile;
    child.parent = this;
    return child;
  }

  /** How reports and metrics name the target: its config name, else user@host:port/db. */
  async targetName(): Promise<string> {
    return this.named?.name ?? (await this.namedTargets())?.[0]?.name ?? (await this.target()).label;
  }

  /** The archive operation of the destructive run in progress: named if the run must be stopped hard. */
  archiveOperation?: number;

  /**
   * The signal that asked this run to stop (set by the top-level handler, src/cli/main.ts, on the
   * run's context; a target's context of a run over several reads its parent's).
   */
  get interruptedBy(): NodeJS.Signals | undefined {
    return this.signalled ?? this.parent?.interruptedBy;
  }

  set interruptedBy(signal: NodeJS.Signals | undefined) {
    this.signalled = signal;
  }

  private signalled?: NodeJS.Signals;
  /** The run's context, for a target's context of a run over several. */
  private parent?: Context;

  /**
   * Work that goes on in steps (batches, migrations) calls this before each step: after Ctrl-C
   * or SIGTERM nothing new starts. The statement in progress is cancelled by the handler.
   */
  checkInterrupted(what = 'nothing more was started'): void {
    if (this.interruptedBy) throw new InterruptedError(`interrupted by ${this.interruptedBy}; ${what}`, { signal: this.interruptedBy });
    if (this.abandonedBecause) throw new InterruptedError(`${this.abandonedBecause}; ${what}`);
  }

  /** Why the run of this target was given up (its timeout, the exporter stopping), if it was. */
  private abandonedBecause?: string;

  /**
   * Gives up the run of this target (one of several): nothing new starts (checkInterrupted), and
   * the server cancels the statement in progress on its connections, even one waiting on a lock,
   * so the run ends now and its connections are released, not at its next statement's timeout.
   */
  async abandon(because: string): Promise<void> {
    this.abandonedBecause ??= because;
    const target = await this.targetPromise?.catch(() => undefined);
    if (!target) return;
    const { cancelRunning } = await import('../data/cancel.js');
    await cancelRunning(target.spec);
  }

  /** True when prompts may be shown: both stdin and stderr are terminals, no --json, no --no-input. */
  get canPrompt(): boolean {
    return Boolean(process.stdin.isTTY) && Boolean(this.out.stderr.isTTY) && !this.flags.json && this.flags.input;
  }

  /** The resolved target; starts the embedded cluster when nothing else is configured. */
  target(): Promise<Target> {
    this.targetPromise ??= (async () => {
      const named = await this.namedTargets();
      if (named) {
        if (named.length !== 1) {
          const { UsageError } = await import('../errors.js');
          throw new UsageError('this command takes exactly one target: name one with --target <name>');
        }
        this.out.debug(`target ${named[0].name}: ${named[0].target.label}`);
        return named[0].target;
      }
      const { resolveExplicitTarget, sourceName } = await import('../config/target.js');
      const explicit = resolveExplicitTarget(this.flags.db, this.env);
      if (explicit) {
        this.out.debug(`target ${explicit.label} (from ${sourceName(explicit.source)})`);
        for (const warning of explicit.warnings ?? []) this.out.warn(warning);
        return explicit;
      }
      const { embeddedTarget } = await import('../embedded/target.js');
      const target = await embeddedTarget((line) => this.out.info(line));
      this.out.debug(`target ${target.label} (embedded cluster)`);
      return target;
    })();
    return this.targetPromise;
  }

  /** The command's one Knex instance, connected on first use. */
  db(): Promise<Knex> {
    this.dbPromise ??= (async () => {
      const target = await this.target();
      const { openDatabase } = await import('../data/connect.js');
      const logQuery = this.flags.verbose ? (line: string) => this.out.debug(line) : undefined;
      const db = await openDatabase(target, this.session, logQuery);
      if (this.writer) {
        const { refuseWritesOnStandby } = await import('../data/standby.js');
        try {
          refuseWritesOnStandby(db, target.label, this.writer);
        } catch (err) {
          await db.destroy().catch(() => undefined);
          throw err;
        }
      }
      return db;
    })();
    return this.dbPromise;
  }

  /** Always called by the top-level handler; knex keeps the process alive until destroyed. */
  async close(): Promise<void> {
    const db = await this.dbPromise?.catch(() => undefined);
    await db?.destroy().catch(() => undefined);
  }
}
