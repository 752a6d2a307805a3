import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { registryAuthHeaders } from '../docker-config.js';
import { parseReference } from '../names.js';
import { drainProgress } from './pull.js';
import { showProgress } from './shared.js';

interface PushFlags {
  allTags?: boolean;
  quiet?: boolean;
}

/** `push` and `image push`: like docker, one tag (default latest) unless --all-tags. */
export function pushCommand(ctx: CliContext): Command {
  return new Command('push')
    .description('Upload an image to a registry')
    .usage('[OPTIONS] NAME[:TAG]')
    .argument('<name>')
    .option('-a, --all-tags', 'Push all tags of an image to the repository')
    .option('-q, --quiet', 'Suppress verbose output')
    .action(async (name: string, flags: PushFlags) => {
      const ref = parseReference(name);
      if (!ref || ref.digest !== undefined) {
        throw invalidArgument(`invalid reference format: "${name}" is not a valid repository/tag`);
      }
      if (flags.allTags && ref.tag !== undefined) throw invalidArgument("tag can't be used with --all-tags/-a");
      const tag = flags.allTags ? undefined : (ref.tag ?? 'latest');
      const res = await ctx.client().request('POST', `/images/${pathParam(ref.name)}/push`, {
        query: { tag },
        headers: await registryAuthHeaders(ctx.io.env, name),
      });
      if (flags.quiet) {
        await drainProgress(res);
        ctx.out(`${name}\n`);
      } else {
        await showProgress(ctx, res);
      }
    });
}
