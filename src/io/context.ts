/**
 * What every command receives: the global flags, the output, and the database, connected
 * lazily (a command that needs no database never starts the embedded cluster) and closed by
 * the top-level handler whatever happens.
 */
import type { Knex } from 'knex';
import type { Target } from '../config/target.js';
import { DEFAULT_SESSION, type SessionOptions } from '../data/session.js';
import type { Output } from './output.js';

export interface GlobalFlags {
  db?: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  yes: boolean;
  dryRun: boolean;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** Given on the command line or in BOOKOPS_CONNECT_TIMEOUT: wins over the target's own. */
  connectTimeoutExplicit?: boolean;
  sessionSettings: SessionOptions['settingsMode'];
}

export const DEFAULT_FLAGS: GlobalFlags = {
  json: false,
  quiet: false,
  verbose: false,
  color: true,
  yes: false,
  dryRun: false,
  lockTimeoutMs: DEFAULT_SESSION.lockTimeoutMs,
  statementTimeoutMs: DEFAULT_SESSION.statementTimeoutMs,
  connectTimeoutMs: DEFAULT_SESSION.connectTimeoutMs,
  sessionSettings: 'auto',
};

export class Context {
  private targetPromise?: Promise<Target>;
  private dbPromise?: Promise<Knex>;
  /** The command being run when it may write (set by the program): it refuses on a hot standby. */
  writer?: string;

  constructor(
    readonly flags: GlobalFlags,
    readonly out: Output,
    /** The command line as typed, recorded with archived operations. */
    readonly commandLine: string,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get session(): SessionOptions {
    return {
      lockTimeoutMs: this.flags.lockTimeoutMs,
      statementTimeoutMs: this.flags.statementTimeoutMs,
      connectTimeoutMs: this.flags.connectTimeoutMs,
      connectTimeoutExplicit: this.flags.connectTimeoutExplicit,
      settingsMode: this.flags.sessionSettings,
    };
  }

  /** True when prompts may be shown: both stdin and stderr are terminals and no --json. */
  get canPrompt(): boolean {
    return Boolean(process.stdin.isTTY) && Boolean(this.out.stderr.isTTY) && !this.flags.json;
  }

  /** The resolved target; starts the embedded cluster when nothing else is configured. */
  target(): Promise<Target> {
    this.targetPromise ??= (async () => {
      const { resolveExplicitTarget, sourceName } = await import('../config/target.js');
      const explicit = resolveExplicitTarget(this.flags.db, this.env);
      if (explicit) {
        this.out.debug(`target ${explicit.label} (from ${sourceName(explicit.source)})`);
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
