/** src/config/redact.ts: passwords masked in anything bookops prints, no database. */
import { describe, expect, it } from 'vitest';
import { describeTarget, maskedCommandLine, redactSecrets, registerSecret } from '../../src/config/redact.js';

describe('secrets', () => {
  it('masks passwords in URLs, query strings, conninfo and anything registered', () => {
    registerSecret('hunter22');
    expect(redactSecrets('postgres://u:p%40ss@h/db')).toBe('postgres://u:****@h/db');
    expect(redactSecrets('postgres://u@h/db?sslmode=require&password=x1')).toBe('postgres://u@h/db?sslmode=require&password=****');
    expect(redactSecrets("host=h password='a b' user=u")).toBe('host=h password=**** user=u');
    expect(redactSecrets('postgres://u@h/db?sslpassword=k3y&x=1')).toBe('postgres://u@h/db?sslpassword=****&x=1');
    expect(redactSecrets("host=h sslpassword='k e y' user=u")).toBe('host=h sslpassword=**** user=u');
    // libpq reads an unquoted value to the next space, quotes included; a masked string quoted in a message keeps its quote
    expect(redactSecrets("password=abc'd host=x")).toBe('password=**** host=x');
    expect(redactSecrets(`invalid '${redactSecrets('host=x password=s3cr3t')}': oops`)).toBe("invalid 'host=x password=****': oops");
    expect(redactSecrets('failed with hunter22 inside')).toBe('failed with **** inside');
    expect(describeTarget({ user: 'u', host: 'h', port: 1, database: 'd' })).toBe('u@h:1/d');
  });
});

describe('the process title', () => {
  it('is the command line with every password masked, or left alone when it holds none', () => {
    expect(maskedCommandLine(['audit', '--db', 'postgres://u:t0ps3cret@h/d'])).toBe('bookops audit --db postgres://u:****@h/d');
    expect(maskedCommandLine(['audit', '--db=host=h password=t0ps3cret'])).toBe('bookops audit --db=host=h password=****');
    expect(maskedCommandLine(['audit', '--db', 'postgres://u@h/d'])).toBeUndefined();
  });
});
