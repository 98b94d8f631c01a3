/**
 * Passwords never reach any output. Two layers: targets are printed only through describeTarget
 * (user@host:port/db), and every line the CLI writes to stderr/stdout for errors and logs passes
 * through redactSecrets, which masks URL userinfo passwords, `password=` parameters in URLs and
 * conninfo strings, and every password bookops has seen this run.
 */
const knownSecrets = new Set<string>();

/** Remember a password so it is masked wherever it might appear later. */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 3) knownSecrets.add(secret);
}

const MASK = '****';

export function redactSecrets(text: string): string {
  // Passwords seen this run first, whole: a pattern below could cut one holding '@' or a space
  // and leave the rest of it where this exact match no longer finds it.
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return (
    out
      // scheme://user:password@host  (password may contain anything but '@' and whitespace)
      .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, `$1${MASK}@`)
      // ?password=... or &password=... in URLs
      .replace(/([?&](?:password|sslpassword|pass|pwd)=)[^&\s']*/gi, `$1${MASK}`)
      // password=... / password='...' in libpq keyword/value strings: a keyword starts the string or
      // follows a space or a quote (a URL's ?password= is the rule above); an unquoted value runs to
      // the next whitespace, as libpq reads it. A value already masked is left alone, so masking a
      // line that quotes a masked string does not eat the closing quote.
      .replace(/(^|[\s'"])((?:ssl)?password\s*=\s*)(?!\*{4}(?:[\s'"]|$))('(?:[^'\\]|\\.)*'|(?:[^\s\\]|\\.)+)/gi, `$1$2${MASK}`)
  );
}

export interface PrintableTarget {
  user?: string | null;
  host?: string | null;
  port?: number | string | null;
  database?: string | null;
}

/** The only way a connection target is printed: user@host:port/db, never a password. */
export function describeTarget(t: PrintableTarget): string {
  const user = t.user || 'postgres';
  const host = t.host || 'localhost';
  const port = t.port || 5432;
  const db = t.database || user;
  return `${user}@${host}:${port}/${db}`;
}

/**
 * The command line as `ps` may show it, or undefined when it holds no password. bin/ sets it as
 * the process title before anything else loads: on Linux that overwrites the argument area that
 * /proc/<pid>/cmdline (and so `ps`, to every user of the machine) reads.
 */
export function maskedCommandLine(args: readonly string[]): string | undefined {
  const masked = args.map((arg) => redactSecrets(arg));
  return masked.some((arg, i) => arg !== args[i]) ? ['bookops', ...masked].join(' ') : undefined;
}
