import { Command } from 'commander';
import { isBerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { JSON_FORMAT, parseFormat } from '../format.js';
import { clientVersion, renderVersion } from '../system-format.js';
import type { Api } from '../../spec/index.js';
import { INSPECT_FORMAT_HELP } from './shared.js';

/** `version`: the client part always, the server part when the daemon answers. */
export function versionCommand(ctx: CliContext): Command {
  return new Command('version')
    .description('Show the berth version information')
    .usage('[OPTIONS]')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .action(async (opts: { format?: string }) => {
      const template = opts.format ? parseFormat(opts.format === JSON_FORMAT ? '{{json .}}' : opts.format) : undefined;
      let server: Api.SystemVersion | undefined;
      let failure: Error | undefined;
      try {
        server = await ctx.client().json<Api.SystemVersion>('GET', '/version');
      } catch (e: unknown) {
        if (!isBerthError(e)) throw e;
        // The client part is still worth printing; the failure decides the exit code.
        failure = e;
      }
      const client = clientVersion(ctx.version, server);
      if (template) ctx.out(template.execute({ Client: client, Server: server ?? null }) + '\n');
      else ctx.out(renderVersion(client, server));
      if (failure !== undefined) throw failure;
    });
}
