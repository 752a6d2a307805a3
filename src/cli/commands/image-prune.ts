import { Command } from 'commander';
import { BerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { addFilter, encodeFilters, parseFilters } from '../filters.js';
import { humanSize } from '../units.js';
import type { Api } from '../../spec/index.js';
import { collect } from './shared.js';

const DANGLING_WARNING = 'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ';
const ALL_WARNING =
  'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ';

/** `image prune`. */
export function imagePruneCommand(ctx: CliContext): Command {
  return new Command('prune')
    .description('Remove unused images')
    .usage('[OPTIONS]')
    .option('-a, --all', 'Remove all unused images, not just dangling ones')
    .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (opts: { all?: boolean; filter?: string[]; force?: boolean }) => {
      const filters = parseFilters(opts.filter ?? []);
      addFilter(filters, 'dangling', String(opts.all !== true));
      if (!opts.force) {
        const answer = await ctx.prompt(opts.all ? ALL_WARNING : DANGLING_WARNING);
        // docker exits 0 without a message when the answer is not "y".
        if (answer?.trim().toLowerCase() !== 'y') throw new BerthError('canceled', 'image prune has been cancelled');
      }
      const report = await ctx.client().json<Api.ImagePruneResponse>('POST', '/images/prune', {
        query: { filters: encodeFilters(filters) },
      });
      const deleted = report.ImagesDeleted ?? [];
      if (deleted.length > 0) {
        const lines = deleted.map((d) => (d.Untagged ? `untagged: ${d.Untagged}` : `deleted: ${d.Deleted ?? ''}`));
        ctx.out(`Deleted Images:\n${lines.join('\n')}\n\n`);
      }
      ctx.out(`Total reclaimed space: ${humanSize(report.SpaceReclaimed ?? 0)}\n`);
    });
}
