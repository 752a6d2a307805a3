import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { humanSize } from '../units.js';
import { buildCommand } from './build.js';

interface PruneAnswer {
  CachesDeleted?: string[] | null;
  SpaceReclaimed?: number;
}

/** `builder build` and `builder prune`: the build cache. */
export function builderCommand(ctx: CliContext): Command {
  return new Command('builder')
    .description('Manage builds')
    .usage('COMMAND')
    .addCommand(buildCommand(ctx))
    .addCommand(
      new Command('prune')
        .description('Remove build cache')
        .option('-a, --all', 'Remove all unused build cache, not just dangling ones')
        .option('-f, --force', 'Do not prompt for confirmation')
        .action(async () => {
          const answer = await ctx.client().json<PruneAnswer>('POST', '/build/prune');
          const deleted = answer.CachesDeleted ?? [];
          if (deleted.length > 0) ctx.out(`Deleted build cache objects:\n${deleted.join('\n')}\n\n`);
          ctx.out(`Total reclaimed space: ${humanSize(answer.SpaceReclaimed ?? 0)}\n`);
        }),
    );
}
