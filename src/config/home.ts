import { homedir } from 'node:os';

/** The home directory libpq uses for ~/.pgpass, ~/.pg_service.conf and ~/.postgresql: $HOME first. */
export function homeDirectory(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}
