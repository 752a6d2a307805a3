import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { parseReference } from '../names.js';
import { collect } from './shared.js';

interface CommitOptions {
  author?: string;
  change?: string[];
  message?: string;
  pause: boolean;
}

/** `commit` and `container commit`: prints the new image's ID. */
export function commitCommand(ctx: CliContext): Command {
  return new Command('commit')
    .description("Create a new image from a container's changes")
    .usage('[OPTIONS] CONTAINER [REPOSITORY[:TAG]]')
    .argument('<container>')
    .argument('[reference]')
    .option('-a, --author <string>', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")')
    .option('-c, --change <list>', 'Apply Dockerfile instruction to the created image', collect)
    .option('-m, --message <string>', 'Commit message')
    .option('-p, --pause', 'Pause container during commit', true)
    .option('--no-pause', 'Do not pause the container during commit')
    .action(async (container: string, reference: string | undefined, opts: CommitOptions) => {
      const ref = reference === undefined ? undefined : parseReference(reference);
      if (reference !== undefined && (!ref || ref.digest !== undefined)) {
        throw invalidArgument(`invalid reference format: "${reference}" is not a valid repository/tag`);
      }
      const result = await ctx.client().json<{ Id: string }>('POST', '/commit', {
        query: {
          container,
          repo: ref?.name,
          tag: ref?.tag,
          comment: opts.message,
          author: opts.author,
          changes: opts.change,
          pause: opts.pause,
        },
      });
      ctx.out(`${result.Id}\n`);
    });
}
