import { Command } from 'commander';
import { BerthError, isBerthError, notFound } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { fetchImage, inspectEach } from './image-inspect.js';
import { INSPECT_FORMAT_HELP } from './shared.js';

/** Object types `inspect --type` names; only images exist in berth so far. */
const SUPPORTED_TYPES = new Set(['image']);

/** Top-level `inspect`: any object by name or ID (images for now). */
export function inspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('Return low-level information on berth objects')
    .usage('[OPTIONS] NAME|ID [NAME|ID...]')
    .argument('<name...>')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .option('--type <string>', 'Only inspect objects of the given type')
    .action(async (refs: string[], opts: { format?: string; type?: string }) => {
      if (opts.type !== undefined && !SUPPORTED_TYPES.has(opts.type)) {
        throw new BerthError(
          'not-implemented',
          `"${opts.type}" is not a valid value for --type (berth inspects images only so far)`,
        );
      }
      const typed = opts.type !== undefined;
      await inspectEach(ctx, refs, opts.format ?? '', async (ref) => {
        try {
          return await fetchImage(ctx, ref);
        } catch (e: unknown) {
          // Untyped lookups report docker's generic wording; typed ones keep the daemon's.
          if (!typed && isBerthError(e, 'not-found')) throw notFound(`Error: No such object: ${ref}`, e);
          throw e;
        }
      });
    });
}
