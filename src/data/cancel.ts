/**
 * Stopping what the server is doing for us, now. Ctrl-C or SIGTERM must stop a run within a
 * second even while its statement waits on a lock the server will not give up: closing our end
 * of the socket is not enough (the server notices a gone client only at its next check, and
 * keeps the transaction and its locks until then). So every connection we open is tracked here,
 * and cancelRunning() sends PostgreSQL's CancelRequest for each one, as psql does on Ctrl-C: a
 * 16-byte message on a new socket naming the backend's pid and secret key. It needs no login
 * (so works through PgBouncer too, which forwards it), and a backend that is idle ignores it.
 * The cancelled statement fails with 57014 and its transaction rolls back.
 */
import { connect, type Socket } from 'node:net';
import type pg from 'pg';
import type { ConnectionSpec } from '../config/target.js';

const live = new Map<pg.Client, ConnectionSpec>();

/** Called for every connection opened (the pool's and the dedicated ones). */
export function trackClient(client: pg.Client, spec: ConnectionSpec): void {
  live.set(client, spec);
  client.once('end', () => live.delete(client));
}

/** The CancelRequest message: length 16, code 80877102, the backend's pid and secret key. */
function cancelRequest(pid: number, secret: number): Buffer {
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(80877102, 4);
  message.writeInt32BE(pid, 8);
  message.writeInt32BE(secret, 12);
  return message;
}

/** A Unix-socket host is a directory; the socket in it is named after the port, as libpq does. */
function open(spec: ConnectionSpec): Socket {
  return spec.host.startsWith('/') ? connect(`${spec.host}/.s.PGSQL.${spec.port}`) : connect(spec.port, spec.host);
}

function sendCancel(spec: ConnectionSpec, pid: number, secret: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = open(spec);
    const done = () => {
      socket.destroy();
      resolve();
    };
    // The server closes the socket once it has read the request; it never answers.
    socket.setTimeout(1000, done);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.end(cancelRequest(pid, secret)));
  });
}

/**
 * Asks the server to cancel the statement running on each of our connections (or on those of
 * one target, `of`: its connection spec, as the connections were opened with it); best effort.
 */
export async function cancelRunning(of?: ConnectionSpec): Promise<number> {
  const sent: Array<Promise<void>> = [];
  for (const [client, spec] of live) {
    if (of && spec !== of) continue;
    const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null };
    if (typeof processID === 'number' && typeof secretKey === 'number') sent.push(sendCancel(spec, processID, secretKey));
  }
  await Promise.all(sent);
  return sent.length;
}
