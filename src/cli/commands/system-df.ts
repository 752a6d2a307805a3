import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { diskUsageFromWire, renderDiskUsage } from '../disk-usage-format.js';
import type { SystemDataUsageWire } from '../wire.js';
import { FORMAT_HELP } from './shared.js';

/** `system df`. */
export function systemDfCommand(ctx: CliContext): Command {
  return new Command('df')
    .description('Show berth disk usage')
    .usage('[OPTIONS]')
    .option('--format <string>', FORMAT_HELP)
    .option('-v, --verbose', 'Show detailed information on space usage')
    .action(async (opts: { format?: string; verbose?: boolean }) => {
      const verbose = opts.verbose === true;
      const wire = await ctx.client().json<SystemDataUsageWire>('GET', '/system/df', { query: { verbose } });
      ctx.out(renderDiskUsage(diskUsageFromWire(wire), { format: opts.format ?? '', verbose }));
    });
}
