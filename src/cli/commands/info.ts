import { Command } from 'commander';
import { BerthError, isBerthError } from '../../kernel/index.js';
import { ConnectionError } from '../client.js';
import type { CliContext } from '../context.js';
import { JSON_FORMAT, parseFormat } from '../format.js';
import { renderClientInfo, renderServerInfo } from '../system-format.js';
import type { Api } from '../../spec/index.js';
import { INSPECT_FORMAT_HELP } from './shared.js';

/** `info` and `system info`. */
export function infoCommand(ctx: CliContext): Command {
  return new Command('info')
    .description('Display system-wide information')
    .usage('[OPTIONS]')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .action(async (opts: { format?: string }) => {
      if (opts.format) {
        const template = parseFormat(opts.format === JSON_FORMAT ? '{{json .}}' : opts.format);
        const info = await ctx.client().json<Api.SystemInfo>('GET', '/info');
        const clientInfo = { Debug: false, Version: ctx.version, Context: 'default' };
        ctx.out(template.execute({ ...info, ClientInfo: clientInfo }) + '\n');
        return;
      }
      ctx.out(renderClientInfo(ctx.version) + '\nServer:\n');
      try {
        const info = await ctx.client().json<Api.SystemInfo>('GET', '/info');
        ctx.out(renderServerInfo(info));
        for (const warning of info.Warnings ?? []) ctx.err(warning + '\n');
      } catch (e: unknown) {
        if (!isBerthError(e) || e instanceof ConnectionError) throw e;
        // docker prints what it has, the error as an ERROR line, then fails.
        ctx.err(`ERROR: ${e.message}\n`);
        throw new BerthError(e.kind, 'errors pretty printing info', { cause: e });
      }
    });
}
