import { Command } from 'commander';
import { BerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { addFilter, encodeFilters, parseFilters } from '../filters.js';
import { humanSize } from '../units.js';
import type { Api } from '../../spec/index.js';
import { collect } from './shared.js';

const ANONYMOUS_WARNING =
  'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
const ALL_WARNING =
  'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';

/** `volume prune`: unused anonymous volumes, or every unused one with -a. */
export function volumePruneCommand(ctx: CliContext): Command {
  return new Command('prune')
    .description('Remove unused local volumes')
    .usage('[OPTIONS]')
    .option('-a, --all', 'Remove all unused volumes, not just anonymous ones')
    .option('--filter <filter>', 'Provide filter values (e.g. "label=<label>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (opts: { all?: boolean; filter?: string[]; force?: boolean }) => {
      const filters = parseFilters(opts.filter ?? []);
      if (opts.all) addFilter(filters, 'all', 'true');
      if (!opts.force) {
        const answer = await ctx.prompt(opts.all ? ALL_WARNING : ANONYMOUS_WARNING);
        // docker exits 0 without a message when the answer is not "y".
        if (answer?.trim().toLowerCase() !== 'y') throw new BerthError('canceled', 'volume prune has been cancelled');
      }
      const report = await ctx.client().json<Api.VolumePruneResponse>('POST', '/volumes/prune', {
        query: { filters: encodeFilters(filters) },
      });
      const deleted = report.VolumesDeleted ?? [];
      if (deleted.length > 0) ctx.out(`Deleted Volumes:\n${deleted.join('\n')}\n\n`);
      ctx.out(`Total reclaimed space: ${humanSize(report.SpaceReclaimed ?? 0)}\n`);
    });
}
