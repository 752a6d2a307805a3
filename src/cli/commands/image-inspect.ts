import { Command } from 'commander';
import { ConnectionError, pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { formatInspect } from '../format.js';
import { INSPECT_FORMAT_HELP, joinErrors } from './shared.js';

/**
 * Fetches every reference, prints what was found (docker prints `[]` even
 * when nothing was), then fails with one line per reference that failed.
 */
export async function inspectEach(
  ctx: CliContext,
  refs: readonly string[],
  format: string,
  fetch: (ref: string) => Promise<unknown>,
): Promise<void> {
  const found: unknown[] = [];
  const errors: Error[] = [];
  for (const ref of refs) {
    try {
      found.push(await fetch(ref));
    } catch (e: unknown) {
      if (e instanceof ConnectionError || !(e instanceof Error)) throw e;
      errors.push(e);
    }
  }
  ctx.out(formatInspect(format, found));
  if (errors.length > 0) throw joinErrors(errors);
}

export function fetchImage(ctx: CliContext, ref: string): Promise<unknown> {
  return ctx.client().json<unknown>('GET', `/images/${pathParam(ref)}/json`);
}

/** `image inspect`. */
export function imageInspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('Display detailed information on one or more images')
    .usage('[OPTIONS] IMAGE [IMAGE...]')
    .argument('<image...>')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .action(async (refs: string[], opts: { format?: string }) => {
      await inspectEach(ctx, refs, opts.format ?? '', (ref) => fetchImage(ctx, ref));
    });
}
