import { createServer } from 'node:net';
import { ConnectionError } from '../errors.js';

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first free loopback port from `start` on; 5432 is skipped so a system server keeps it. */
export async function findFreePort(start: number): Promise<number> {
  for (let port = start; port < start + 500 && port < 65536; port++) {
    if (port === 5432) continue;
    if (await isPortFree(port)) return port;
  }
  throw new ConnectionError(`no free port for the embedded cluster between ${start} and ${start + 499}`);
}
