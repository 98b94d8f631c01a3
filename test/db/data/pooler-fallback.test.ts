/**
 * Behind a pooler that refuses start-up parameters (PgBouncer answers "unsupported startup
 * parameter: statement_timeout"), bookops must still connect and still set its timeouts, with
 * SET after connecting. The pooler here is a small proxy in front of the real test server that
 * rejects a start-up packet exactly as PgBouncer does and passes everything else through.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../../src/config/target.js';
import { openDatabase } from '../../../src/data/connect.js';
import { DEFAULT_SESSION } from '../../../src/data/session.js';
import { runCli } from '../../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';

/** What PgBouncer accepts in a start-up packet without ignore_startup_parameters. */
const ACCEPTED = new Set(['user', 'database', 'application_name', 'client_encoding', 'datestyle', 'timezone', 'replication']);

function startupParams(packet: Buffer): string[] {
  const keys: string[] = [];
  const fields = packet.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < fields.length && fields[i] !== ''; i += 2) keys.push(fields[i]);
  return keys;
}

function errorResponse(message: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C08P01\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function pooler(upstreamHost: string, upstreamPort: number): Promise<{ server: Server; port: number; rejected: string[] }> {
  const rejected: string[] = [];
  const server = createServer((client: Socket) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4 || buffered.length < buffered.readInt32BE(0)) return;
      client.off('data', onData);
      const bad = startupParams(buffered).find((key) => !ACCEPTED.has(key.toLowerCase()));
      if (bad) {
        rejected.push(bad);
        client.end(errorResponse(`unsupported startup parameter: ${bad}`));
        return;
      }
      const upstream = connect(upstreamPort, upstreamHost, () => {
        upstream.write(buffered);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, rejected })));
}

describe('a pooler that rejects start-up parameters', () => {
  let t: TestDatabase;
  let proxy: Awaited<ReturnType<typeof pooler>>;
  let proxiedUrl: string;
  beforeAll(async () => {
    t = await createTestDatabase('pooler');
    const url = new URL(t.url);
    proxy = await pooler(url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxiedUrl = url.toString();
  });
  afterAll(async () => {
    await new Promise((r) => proxy?.server.close(r));
    await t?.drop();
  });

  it('auto mode falls back to SET after connect, on every pooled connection', async () => {
    const db = await openDatabase(parseDatabaseUrl(proxiedUrl, 'flag'), { ...DEFAULT_SESSION, lockTimeoutMs: 750, statementTimeoutMs: 4000 });
    try {
      const results = await Promise.all(
        Array.from({ length: 3 }, () =>
          db.transaction(async (trx) => {
            const { rows } = await trx.raw(
              "SELECT current_setting('application_name') AS app, current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt",
            );
            return rows[0];
          }),
        ),
      );
      for (const r of results) expect(r).toEqual({ app: 'bookops', lock: '750ms', stmt: '4s' });
      expect(proxy.rejected.length).toBeGreaterThan(0);
    } finally {
      await db.destroy();
    }
  });

  it('the CLI works through it; --session-settings startup fails there with one clear line', async () => {
    const auto = await runCli(['--db', proxiedUrl, 'migrate', 'status', '--json']);
    expect(auto.code, auto.stderr).toBe(0);
    const forced = await runCli(['--db', proxiedUrl, '--session-settings', 'startup', 'migrate', 'status']);
    expect(forced.code).toBe(3);
    expect(forced.stderr.trim().split('\n')).toHaveLength(1);
    expect(forced.stderr).toMatch(/unsupported startup parameter/);
  });
});
