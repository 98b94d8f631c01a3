/**
 * libpq's TLS settings (sslmode, sslrootcert, sslcert, sslkey) mapped onto pg's `ssl` option.
 *
 * - disable, allow, prefer: no TLS. pg cannot try TLS and fall back as libpq does, and failing
 *   against a server without TLS would be worse; libpq's own default, prefer, lands here too.
 * - require (and pg's no-verify): TLS, the certificate not checked.
 * - verify-ca: TLS, the certificate checked against the CA (sslrootcert, else the system's).
 * - verify-full: that, and the server's name checked against it.
 * Any other value is refused: a typo (verify_full, requre) must not quietly mean "no TLS".
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'no-verify', 'verify-ca', 'verify-full'] as const;

export type TlsOption = false | ConnectionOptions;

export interface TlsSettings {
  sslmode?: string;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** The host name to verify when the address connected to is another (libpq's hostaddr). */
  servername?: string;
}

export function tlsOption(settings: TlsSettings, bad: (why: string) => Error): TlsOption {
  const mode = (settings.sslmode || 'prefer').toLowerCase();
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw bad(`sslmode '${settings.sslmode}' is not one of ${SSL_MODES.join(', ')}`);
  }
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const read = (name: string, path: string | undefined) => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw bad(`cannot read ${name} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const options: ConnectionOptions = {
    rejectUnauthorized: mode === 'verify-ca' || mode === 'verify-full',
    ...(settings.sslrootcert ? { ca: read('sslrootcert', settings.sslrootcert) } : {}),
    ...(settings.sslcert ? { cert: read('sslcert', settings.sslcert) } : {}),
    ...(settings.sslkey ? { key: read('sslkey', settings.sslkey) } : {}),
    ...(settings.servername ? { servername: settings.servername } : {}),
  };
  // verify-ca trusts any name on a certificate of the CA; verify-full keeps Node's name check.
  if (mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}

/** `ssl=true` / `ssl=false` of node-style URLs, as an sslmode (undefined: not given). */
export function sslmodeFromSslParam(value: string | null, bad: (why: string) => Error): string | undefined {
  if (value === null) return undefined;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return 'require';
  if (v === 'false' || v === '0') return 'disable';
  throw bad(`ssl '${value}' is not true or false (or use sslmode)`);
}
