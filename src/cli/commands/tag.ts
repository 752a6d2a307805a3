import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { parseReference } from '../names.js';

/** `tag` and `image tag`. */
export function tagCommand(ctx: CliContext): Command {
  return new Command('tag')
    .description('Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE')
    .usage('SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]')
    .argument('<source>')
    .argument('<target>')
    .action(async (source: string, target: string) => {
      const ref = parseReference(target);
      if (!ref) {
        const why = parseReference(target.toLowerCase()) ? ': repository name must be lowercase' : '';
        throw invalidArgument(
          `Error parsing reference: "${target}" is not a valid repository/tag: invalid reference format${why}`,
        );
      }
      if (ref.digest !== undefined) throw invalidArgument('refusing to create a tag with a digest reference');
      await ctx.client().json<unknown>('POST', `/images/${pathParam(source)}/tag`, {
        query: { repo: ref.name, tag: ref.tag ?? 'latest' },
      });
    });
}
