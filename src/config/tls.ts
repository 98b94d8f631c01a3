/**
 * libpq's TLS rules (sslmode, sslrootcert, sslcert, sslkey; fe-secure-openssl.c) as pg's `ssl`
 * option, in the order the connection is tried:
 *
 * - disable: plain only. allow: plain first, TLS when the server wants it. prefer (libpq's
 *   default): TLS first, plain when TLS fails. require: TLS only.
 * - The server certificate is checked against the root certificate (sslrootcert, else
 *   ~/.postgresql/root.crt) whenever that file exists, in every mode that uses TLS: libpq's
 *   "require with a root certificate means verify-ca". verify-ca and verify-full insist on it
 *   (a missing file is an error, not the system's CAs); sslrootcert=system means the system's
 *   CAs, and only with verify-full. verify-full also checks the host name (host, not hostaddr).
 * - A client certificate (sslcert, else ~/.postgresql/postgresql.crt) is sent when the file
 *   exists, with its key (sslkey, else ~/.postgresql/postgresql.key), which must exist and be
 *   private to its owner (u=rw, or u=rw,g=r when root owns it).
 * - pg's own `no-verify` is read as TLS without any check. Any other mode is refused, and modes
 *   are case-sensitive as in libpq: a typo must not quietly mean "no TLS".
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export type TlsOption = false | ConnectionOptions;

export interface TlsSettings {
  sslmode?: string;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** The server's name: what verify-full checks and SNI sends (libpq's host, not hostaddr). */
  hostName: string;
  /** Where ~/.postgresql is. */
  home: string;
}

/** The `ssl` options to try, in order: one, or two when the mode falls back (allow, prefer). */
export function tlsAttempts(settings: TlsSettings, bad: (why: string) => Error): TlsOption[] {
  const mode = settings.sslmode || 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw bad(`sslmode is not one of ${SSL_MODES.join(', ')} (they are case-sensitive)`);
  }
  if (mode === 'disable') return [false];
  const tls = tlsOptions(mode as SslMode, settings, bad);
  if (mode === 'allow') return [false, tls];
  if (mode === 'prefer') return [tls, false];
  return [tls];
}

function tlsOptions(mode: SslMode, s: TlsSettings, bad: (why: string) => Error): ConnectionOptions {
  const dir = join(s.home, '.postgresql');
  const options: ConnectionOptions = { rejectUnauthorized: false };
  if (s.hostName && !isIP(s.hostName) && !s.hostName.startsWith('/')) options.servername = s.hostName;

  const rootPath = s.sslrootcert || join(dir, 'root.crt');
  if (rootPath === 'system') {
    if (mode !== 'verify-full') throw bad(`sslrootcert=system needs sslmode=verify-full`);
    options.rejectUnauthorized = true; // Node's own CAs, the system's
  } else if (mode !== 'no-verify' && existsSync(rootPath)) {
    options.ca = read(rootPath, 'sslrootcert', bad);
    options.rejectUnauthorized = true;
  } else if (mode === 'verify-ca' || mode === 'verify-full') {
    throw bad(`root certificate file ${rootPath} does not exist (sslmode=${mode} checks the server against it: give sslrootcert, or use sslmode=require)`);
  }
  // verify-full checks the name we were given, also when we connect to an address (hostaddr);
  // every other mode that verifies trusts any name on a certificate of the CA.
  options.checkServerIdentity =
    mode === 'verify-full' ? (_host, cert) => checkServerIdentity(s.hostName, cert) : () => undefined;

  const certPath = s.sslcert || join(dir, 'postgresql.crt');
  if (existsSync(certPath)) {
    const keyPath = s.sslkey || join(dir, 'postgresql.key');
    if (!existsSync(keyPath)) throw bad(`certificate present, but not private key file ${keyPath}`);
    checkKeyPermissions(keyPath, bad);
    options.cert = read(certPath, 'sslcert', bad);
    options.key = read(keyPath, 'sslkey', bad);
  }
  return options;
}

function read(path: string, name: string, bad: (why: string) => Error): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw bad(`cannot read ${name} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** libpq refuses a private key others can read: u=rw (0600) for its owner, u=rw,g=r (0640) when root owns it. */
function checkKeyPermissions(path: string, bad: (why: string) => Error): void {
  if (process.platform === 'win32') return;
  const st = statSync(path);
  if (!st.isFile()) throw bad(`private key file ${path} is not a regular file`);
  const tooOpen = st.uid === 0 ? (st.mode & 0o037) !== 0 : (st.mode & 0o077) !== 0;
  if (tooOpen) {
    throw bad(
      `private key file ${path} has group or world access; it must have permissions u=rw (0600) or less if owned by the current user, or u=rw,g=r (0640) or less if owned by root`,
    );
  }
}
