import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addFilter, encodeFilters, parseFilters } from '../filters.js';
import { formatRows } from '../format.js';
import { IMAGE_HEADERS, imageFormat, imageRows } from '../image-format.js';
import type { Api } from '../../spec/index.js';
import { collect, FORMAT_HELP } from './shared.js';

interface ImagesOptions {
  all?: boolean;
  digests?: boolean;
  filter?: string[];
  format?: string;
  trunc: boolean;
  quiet?: boolean;
}

/** Names a user may type after `images` while meaning `image <subcommand>`. */
const IMAGE_SUBCOMMANDS = new Set(['history', 'import', 'inspect', 'list', 'load', 'ls', 'prune', 'rm', 'save', 'tag']);

/** `images` and `image ls`. */
export function imagesCommand(ctx: CliContext, name: string): Command {
  return new Command(name)
    .description('List images')
    .usage('[OPTIONS] [REPOSITORY[:TAG]]')
    .argument('[reference]')
    .option('-a, --all', 'Show all images (default hides intermediate images)')
    .option('--digests', 'Show digests')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', FORMAT_HELP)
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only show image IDs')
    .action(async (reference: string | undefined, opts: ImagesOptions) => {
      const filters = parseFilters(opts.filter ?? []);
      if (reference !== undefined) addFilter(filters, 'reference', reference);
      // Which images -a adds (intermediate ones) is the daemon's call, as with docker 28.
      const images = await ctx.client().json<Api.ImageSummary[]>('GET', '/images/json', {
        query: { all: opts.all === true, filters: encodeFilters(filters) },
      });
      const format = imageFormat(opts.format ?? '', { quiet: opts.quiet === true, digests: opts.digests === true });
      const needDigest = opts.digests === true || format.includes('{{.Digest}}');
      const rows = imageRows(images, { trunc: opts.trunc, digests: opts.digests === true, needDigest });
      ctx.out(formatRows(format, rows, IMAGE_HEADERS));
      if (images.length === 0 && reference !== undefined && name === 'images' && IMAGE_SUBCOMMANDS.has(reference)) {
        ctx.err(`No images found matching "${reference}": did you mean "berth image ${reference}"?\n`);
      }
    });
}
