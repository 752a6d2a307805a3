import { Command } from 'commander';
import { BerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { encodeFilters, parseFilters } from '../filters.js';
import { humanSize } from '../units.js';
import type { Api } from '../../spec/index.js';
import { collect } from './shared.js';

const WARNING = 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ';

/** `container prune`. */
export function containerPruneCommand(ctx: CliContext): Command {
  return new Command('prune')
    .description('Remove all stopped containers')
    .usage('[OPTIONS]')
    .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (opts: { filter?: string[]; force?: boolean }) => {
      if (!opts.force) {
        const answer = await ctx.prompt(WARNING);
        if (answer?.trim().toLowerCase() !== 'y') {
          throw new BerthError('canceled', 'container prune has been cancelled');
        }
      }
      const report = await ctx.client().json<Api.ContainerPruneResponse>('POST', '/containers/prune', {
        query: { filters: encodeFilters(parseFilters(opts.filter ?? [])) },
      });
      const deleted = report.ContainersDeleted ?? [];
      if (deleted.length > 0) ctx.out(`Deleted Containers:\n${deleted.join('\n')}\n\n`);
      ctx.out(`Total reclaimed space: ${humanSize(report.SpaceReclaimed ?? 0)}\n`);
    });
}
