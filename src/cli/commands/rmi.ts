import { Command } from 'commander';
import { isBerthError } from '../../kernel/index.js';
import { ConnectionError, pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import type { Api } from '../../spec/index.js';
import { joinErrors } from './shared.js';

/** `rmi`, `image rm` and `image remove`. */
export function rmiCommand(ctx: CliContext, name: string): Command {
  return new Command(name)
    .description('Remove one or more images')
    .usage('[OPTIONS] IMAGE [IMAGE...]')
    .argument('<image...>')
    .option('-f, --force', 'Force removal of the image')
    .option('--no-prune', 'Do not delete untagged parents')
    .action(async (images: string[], opts: { force?: boolean; prune: boolean }) => {
      const errors: Error[] = [];
      let fatal = false;
      for (const image of images) {
        try {
          const items = await ctx
            .client()
            .json<Api.ImageDeleteResponseItem[]>('DELETE', `/images/${pathParam(image)}`, {
              query: { force: opts.force === true, noprune: !opts.prune },
            });
          for (const item of items ?? []) {
            ctx.out(item.Deleted ? `Deleted: ${item.Deleted}\n` : `Untagged: ${item.Untagged ?? ''}\n`);
          }
        } catch (e: unknown) {
          if (!(e instanceof Error) || e instanceof ConnectionError) throw e;
          fatal ||= !isBerthError(e, 'not-found');
          errors.push(e);
        }
      }
      if (errors.length === 0) return;
      // With -f, missing images are reported but are not a failure (docker behaves the same).
      if (!opts.force || fatal) throw joinErrors(errors);
      ctx.err(errors.map((e) => e.message).join('\n') + '\n');
    });
}
