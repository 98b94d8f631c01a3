/**
 * Driver and server errors translated into the typed error tree, in the data layer, so commands
 * and the top-level handler never see a raw pg error. SQLSTATE reference:
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import {
  BookopsError,
  ConflictError,
  ConnectionError,
  DatabaseError,
  RefusedError,
} from '../errors.js';
import { redactSecrets } from '../config/redact.js';

export interface PgErrorLike {
  code?: string;
  message: string;
  detail?: string;
  constraint?: string;
  table?: string;
  /** Set by our knex 'query-error' listener: pg's message without knex's SQL prefix. */
  originalMessage?: string;
  errno?: number;
  syscall?: string;
  /** Set by the SQL loader (src/data/sql.ts): "sql/<area>/<file>.sql:<line>". */
  sqlFile?: string;
}

export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  LOCK_NOT_AVAILABLE: '55P03',
  QUERY_CANCELED: '57014',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  INVALID_PASSWORD: '28P01',
  INVALID_AUTHORIZATION: '28000',
  INVALID_CATALOG_NAME: '3D000',
  CANNOT_CONNECT_NOW: '57P03',
  TOO_MANY_CONNECTIONS: '53300',
  ADMIN_SHUTDOWN: '57P01',
  PROTOCOL_VIOLATION: '08P01',
  UNDEFINED_TABLE: '42P01',
  INSUFFICIENT_PRIVILEGE: '42501',
  READ_ONLY_TRANSACTION: '25006',
} as const;

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
};

export function pgMessage(err: PgErrorLike): string {
  return redactSecrets(err.originalMessage ?? err.message ?? String(err));
}

export function isPgError(err: unknown, sqlstate?: string): err is PgErrorLike {
  if (!err || typeof err !== 'object' || typeof (err as PgErrorLike).code !== 'string') return false;
  return sqlstate === undefined || (err as PgErrorLike).code === sqlstate;
}

/** Errors raised while opening a connection to `label`. */
/** Node's codes for a server certificate that does not verify (chain, expiry, host name). */
const TLS_VERIFY_CODES =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID)$/;

export function translateConnectError(err: unknown, label: string, timeoutMs?: number): BookopsError {
  if (err instanceof BookopsError) return err;
  const e = err as PgErrorLike;
  const network = e?.code && NETWORK_CODES[e.code];
  if (network) return new ConnectionError(`cannot reach ${label}: ${network}`, { cause: err });
  const msg = pgMessage(e);
  if (e?.code && TLS_VERIFY_CODES.test(e.code)) {
    return new ConnectionError(`cannot connect to ${label}: the server's TLS certificate does not verify: ${msg}`, {
      hint: 'it is checked against sslrootcert, else ~/.postgresql/root.crt (see sslmode in docs/OPERATIONS.md)',
      cause: err,
    });
  }
  if (/server does not support SSL/i.test(msg)) {
    return new ConnectionError(`cannot connect to ${label}: the server does not accept TLS, and the sslmode requires it`, { cause: err });
  }
  if (/timeout/i.test(msg) && !e.code) {
    return new ConnectionError(`cannot reach ${label}: connection timed out${timeoutMs ? ` after ${timeoutMs}ms` : ''}`, { cause: err });
  }
  switch (e?.code) {
    case SQLSTATE.INVALID_PASSWORD:
      return new ConnectionError(`cannot log in to ${label}: password authentication failed`, { cause: err });
    case SQLSTATE.INVALID_AUTHORIZATION:
      return new ConnectionError(`cannot log in to ${label}: ${msg}`, { cause: err });
    case SQLSTATE.INVALID_CATALOG_NAME:
      return new ConnectionError(`cannot open ${label}: ${msg}`, { cause: err });
    case SQLSTATE.CANNOT_CONNECT_NOW:
    case SQLSTATE.TOO_MANY_CONNECTIONS:
    case SQLSTATE.ADMIN_SHUTDOWN:
      return new ConnectionError(`cannot connect to ${label}: ${msg}`, { cause: err });
  }
  if (e?.code?.startsWith('08') || e?.code?.startsWith('28')) {
    return new ConnectionError(`cannot connect to ${label}: ${msg}`, { cause: err });
  }
  if (/password must be a string|SASL|client password|no password supplied/i.test(msg)) {
    return new ConnectionError(`cannot log in to ${label}: the server asks for a password and none was given`, {
      cause: err,
    });
  }
  return new ConnectionError(`cannot connect to ${label}: ${msg}`, { cause: err });
}

/** Errors raised by a statement. Unknown non-database errors are returned unchanged (bugs). */
export function translatePgError(err: unknown): unknown {
  if (err instanceof BookopsError) return err;
  if (!err || typeof err !== 'object') return err;
  const e = err as PgErrorLike;
  if (e.code && NETWORK_CODES[e.code]) {
    return new ConnectionError(`lost the database connection: ${NETWORK_CODES[e.code]}`, { cause: err });
  }
  if (/Connection terminated/i.test(e.message ?? '') && !isPgError(err)) {
    return new ConnectionError('lost the database connection', { cause: err });
  }
  if (!isPgError(err) || !/^[0-9A-Z]{5}$/.test(e.code!)) return err;
  const msg = pgMessage(e);
  switch (e.code) {
    case SQLSTATE.UNIQUE_VIOLATION:
      return new ConflictError(`${msg}${e.detail ? ` (${redactSecrets(e.detail)})` : ''}`, { cause: err });
    case SQLSTATE.LOCK_NOT_AVAILABLE:
      return new ConflictError(`${msg}: another session holds a conflicting lock; try again later`, { cause: err });
    case SQLSTATE.SERIALIZATION_FAILURE:
    case SQLSTATE.DEADLOCK_DETECTED:
      return new ConflictError(`${msg}: a concurrent change got in the way; try again`, { cause: err });
    case SQLSTATE.QUERY_CANCELED:
      return new DatabaseError(`${msg} (raise --statement-timeout if the statement needs longer)`, { cause: err });
    case SQLSTATE.READ_ONLY_TRANSACTION:
      // A write reached a read-only server (a hot standby refuses them all; commands that write
      // refuse a standby before they start, src/data/standby.ts): nothing was changed.
      return new RefusedError(`${msg}: the server is read-only; run this against the primary`, { cause: err });
  }
  if (e.code!.startsWith('08') || e.code === SQLSTATE.ADMIN_SHUTDOWN) {
    return new ConnectionError(`lost the database connection: ${msg}`, { cause: err });
  }
  return new DatabaseError(e.sqlFile ? `${msg} (${e.sqlFile})` : msg, { cause: err });
}

/**
 * What a SQLSTATE means for one rule: `{ '23505': () => new ConflictError('slot 7 is taken') }`.
 * A meaning may return undefined to fall back to the generic translation.
 */
export type PgMeanings = Partial<Record<string, (err: PgErrorLike) => BookopsError | undefined>>;

/** translatePgError, with the caller's rule-specific meanings of SQLSTATEs tried first. */
export function translatePgErrorAs(err: unknown, meanings: PgMeanings): unknown {
  if (err instanceof BookopsError) return err;
  if (isPgError(err)) {
    const meaning = meanings[err.code!]?.(err);
    if (meaning) return meaning;
  }
  return translatePgError(err);
}
