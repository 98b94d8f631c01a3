/** Session settings every connection gets; kept apart from connect.ts so the CLI can read the defaults without loading pg. */
export interface SessionOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** True when connectTimeoutMs was asked for explicitly: then it wins over a URL's connect_timeout and PGCONNECT_TIMEOUT. */
  connectTimeoutExplicit?: boolean;
  /** auto: start-up parameters, SET when the server or pooler rejects them. */
  settingsMode: 'auto' | 'startup' | 'set';
  poolMax?: number;
  /** application_name of every session (default bookops; the exporter's: bookops-serve). */
  applicationName?: string;
  /** default_transaction_read_only=on: the session can only read (the exporter's). */
  readOnly?: boolean;
}

export const DEFAULT_SESSION: SessionOptions = {
  lockTimeoutMs: 1000,
  statementTimeoutMs: 5 * 60_000,
  connectTimeoutMs: 5000,
  settingsMode: 'auto',
};

export const APPLICATION_NAME = 'bookops';
