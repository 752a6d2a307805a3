import { Command } from 'commander';
import { BerthError, isBerthError, notFound } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { fetchImage, inspectEach } from './image-inspect.js';
import { INSPECT_FORMAT_HELP } from './shared.js';

type ObjectType = 'container' | 'image';

function fetchContainer(ctx: CliContext, ref: string, size = false): Promise<unknown> {
  return ctx.client().json<unknown>('GET', `/containers/${pathParam(ref)}/json`, { query: { size } });
}

/** Containers first, then images, as docker looks an untyped name up. */
async function fetchAny(ctx: CliContext, ref: string, size: boolean): Promise<unknown> {
  try {
    return await fetchContainer(ctx, ref, size);
  } catch (e: unknown) {
    if (!isBerthError(e, 'not-found')) throw e;
  }
  try {
    return await fetchImage(ctx, ref);
  } catch (e: unknown) {
    // Untyped lookups report docker's generic wording; typed ones keep the daemon's.
    if (isBerthError(e, 'not-found')) throw notFound(`Error: No such object: ${ref}`, e);
    throw e;
  }
}

/** Top-level `inspect`: a container or an image by name or ID. */
export function inspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('Return low-level information on berth objects')
    .usage('[OPTIONS] NAME|ID [NAME|ID...]')
    .argument('<name...>')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .option('-s, --size', 'Display total file sizes if the type is container')
    .option('--type <string>', 'Only inspect objects of the given type')
    .action(async (refs: string[], opts: { format?: string; size?: boolean; type?: string }) => {
      const type = opts.type as ObjectType | undefined;
      if (type !== undefined && type !== 'container' && type !== 'image') {
        throw new BerthError(
          'not-implemented',
          `"${opts.type ?? ''}" is not a valid value for --type (berth inspects containers and images so far)`,
        );
      }
      const size = opts.size === true;
      await inspectEach(ctx, refs, opts.format ?? '', (ref) => {
        if (type === 'container') return fetchContainer(ctx, ref, size);
        if (type === 'image') return fetchImage(ctx, ref);
        return fetchAny(ctx, ref, size);
      });
    });
}

/** `container inspect`. */
export function containerInspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('Display detailed information on one or more containers')
    .usage('[OPTIONS] CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .option('-s, --size', 'Display total file sizes')
    .action(async (refs: string[], opts: { format?: string; size?: boolean }) => {
      await inspectEach(ctx, refs, opts.format ?? '', (ref) => fetchContainer(ctx, ref, opts.size === true));
    });
}
