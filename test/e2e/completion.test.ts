/**
 * `bookops completion bash|zsh|fish` (the built binary): each script loads in its real shell and
 * completes what the command tree holds: commands, subcommands after global options and their
 * values, options, an option's choices, files for a free value. zsh and fish are Debian packages
 * `.ci/run` installs; in zsh and fish the candidates are asked of the scripts' own functions
 * (compadd stands in for the line editor in zsh; fish's `complete -C` is its own).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bookops-completion-'));
const scripts: Record<string, string> = {};

beforeAll(async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    scripts[shell] = join(dir, `bookops.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (shell: string, args: string[]) => execFileSync(shell, args, { encoding: 'utf8', env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir } });

/** What bash completes for the words typed, the last one being completed. */
function bash(...typed: string[]): string[] {
  const quoted = typed.map((w) => `'${w}'`).join(' ');
  const out = run('bash', ['-c', `source '${scripts.bash}'; COMP_WORDS=(bookops ${quoted}); COMP_CWORD=${typed.length}; _bookops; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  return out.split('\n').filter(Boolean);
}

function zsh(...typed: string[]): string[] {
  const quoted = typed.map((w) => `'${w}'`).join(' ');
  const out = run('zsh', ['-c', `source '${scripts.zsh}'; compadd() { shift; print -l -- "$@"; }; _files() { print -- '<files>'; }; words=(bookops ${quoted}); CURRENT=${typed.length + 1}; _bookops`]);
  return out.split('\n').filter(Boolean);
}

function fish(line: string): string[] {
  const out = run('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C '${line}'`]);
  return out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
}

describe('bookops completion', () => {
  it('bash completes commands, subcommands after global options, options, choices and files', () => {
    expect(bash('au')).toEqual(['audit']);
    expect(bash('a')).toEqual(['audit', 'archive']);
    expect(bash('')).toContain('completion');
    expect(bash('--db', 'postgres://x', 'slots', 're')).toEqual(['release', 'reassign', 'resolve-duplicates']);
    expect(bash('--json', 'db', '')).toEqual(['start', 'stop', 'status', 'url']);
    expect(bash('migrate', 'plan', '--ch')).toEqual(['--check']);
    expect(bash('db', 'url', '--database', 'x', '--js')).toEqual(['--json']);
    expect(bash('chats', 'metrics', '--format', '')).toEqual(['table', 'plain', 'prometheus']);
    expect(bash('--session-settings', '')).toEqual(['auto', 'startup', 'set']);
    expect(bash('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    writeFileSync(join(dir, 'plan-target.sql'), '');
    expect(bash('migrate', 'plan', '--migrations-dir', join(dir, 'plan-t'))).toEqual([join(dir, 'plan-target.sql')]);
  });

  it('zsh: the script parses, and completes from the same tree', () => {
    execFileSync('zsh', ['-n', scripts.zsh]);
    expect(zsh('')).toContain('audit');
    expect(zsh('--db', 'postgres://x', 'slots', 're')).toEqual(['release', 'reassign', 'resolve-duplicates']);
    expect(zsh('chats', 'metrics', '--format', '')).toEqual(['table', 'plain', 'prometheus']);
    expect(zsh('migrate', 'plan', '--migrations-dir', '')).toEqual(['<files>']);
    expect(zsh('migrate', 'plan', '--')).toContain('--check');
  });

  it('fish: the script parses, and fish completes from it', () => {
    execFileSync('fish', ['--no-execute', scripts.fish]);
    expect(fish('bookops au')).toEqual(['audit']);
    expect(fish('bookops --db x slots re')).toEqual(['reassign', 'release', 'resolve-duplicates']);
    expect(fish('bookops chats metrics --format ')).toEqual(['plain', 'prometheus', 'table']);
    expect(fish('bookops migrate plan --ch')).toEqual(['--check']);
    expect(fish('bookops db url --')).toContain('--database');
    expect(fish('bookops db url --')).not.toContain('--version');
  });

  it('an unknown shell is a usage error in one line (exit 2)', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe("bookops: argument <shell>: 'tcsh' expected one of: bash, zsh, fish (see node bin/bookops.js completion --help)");
  });
});
