import type { Readable } from 'node:stream';
import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { openInput, showProgress } from './shared.js';

/** `load` and `image load`: a docker-archive or OCI-layout tarball from a file or stdin. */
export function loadCommand(ctx: CliContext): Command {
  return new Command('load')
    .description('Load an image from a tar archive or STDIN')
    .usage('[OPTIONS]')
    .option('-i, --input <file>', 'Read from tar archive file, instead of STDIN')
    .option('-q, --quiet', 'Suppress the load output')
    .action(async (opts: { input?: string; quiet?: boolean }) => {
      if (opts.input === undefined && ctx.io.stdin.isTTY) {
        throw invalidArgument('requested load from stdin, but stdin is empty');
      }
      const body: Readable = opts.input === undefined ? ctx.io.stdin : await openInput(opts.input);
      // Progress bars only make sense on a terminal; docker asks for the quiet stream otherwise.
      const quiet = opts.quiet === true || ctx.io.stdout.isTTY !== true;
      const res = await ctx.client().request('POST', '/images/load', {
        query: { quiet },
        stream: body,
        contentType: 'application/x-tar',
      });
      await showProgress(ctx, res);
    });
}
