import type { Readable } from 'node:stream';
import { Command } from 'commander';
import { BerthError, invalidArgument } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { parseReference } from '../names.js';
import { collect, openInput, showProgress } from './shared.js';

interface ImportOptions {
  change?: string[];
  message?: string;
}

/** `import` and `image import`: a root filesystem tarball becomes a one-layer image. */
export function importCommand(ctx: CliContext): Command {
  return new Command('import')
    .description('Import the contents from a tarball to create a filesystem image')
    .usage('[OPTIONS] file|URL|- [REPOSITORY[:TAG]]')
    .argument('<source>')
    .argument('[reference]')
    .option('-c, --change <instruction>', 'Apply Dockerfile instruction to the created image', collect)
    .option('-m, --message <string>', 'Set commit message for imported image')
    .action(async (source: string, reference: string | undefined, opts: ImportOptions) => {
      if (/^https?:\/\//.test(source)) {
        throw new BerthError(
          'not-implemented',
          'importing from a URL is not supported by berth yet: download the file and import it',
        );
      }
      const ref = reference === undefined ? undefined : parseReference(reference);
      if (reference !== undefined && (!ref || ref.digest !== undefined)) {
        throw invalidArgument(`invalid reference format: "${reference}" is not a valid repository/tag`);
      }
      const body: Readable = source === '-' ? ctx.io.stdin : await openInput(source);
      const res = await ctx.client().request('POST', '/images/create', {
        query: { fromSrc: '-', repo: ref?.name, tag: ref?.tag, message: opts.message, changes: opts.change },
        stream: body,
        contentType: 'application/x-tar',
      });
      await showProgress(ctx, res);
    });
}
