import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { eraseCredentials, registryKey } from '../docker-config.js';

/** `logout`: forgets the stored credentials; the daemon keeps none. */
export function logoutCommand(ctx: CliContext): Command {
  return new Command('logout')
    .description('Log out from a registry.\nIf no server is specified, the default is defined by the daemon.')
    .usage('[SERVER]')
    .argument('[server]')
    .action(async (server: string | undefined) => {
      const key = registryKey(server);
      if (!(await eraseCredentials(ctx.io.env, key))) {
        ctx.out(`Not logged in to ${key}\n`);
        return;
      }
      ctx.out(`Removing login credentials for ${key}\n`);
    });
}
