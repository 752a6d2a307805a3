import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import type { ApiResponse } from '../client.js';
import type { CliContext } from '../context.js';

/** `save` and `image save`: a docker-archive tarball to a file or stdout. */
export function saveCommand(ctx: CliContext): Command {
  return new Command('save')
    .description('Save one or more images to a tar archive (streamed to STDOUT by default)')
    .usage('[OPTIONS] IMAGE [IMAGE...]')
    .argument('<image...>')
    .option('-o, --output <file>', 'Write to a file, instead of STDOUT')
    .action(async (images: string[], opts: { output?: string }) => {
      if (opts.output === undefined && ctx.io.stdout.isTTY) {
        throw invalidArgument('cowardly refusing to save to a terminal. Use the -o flag or redirect');
      }
      const res = await ctx.client().request('GET', '/images/get', { query: { names: images } });
      if (opts.output === undefined) await pipeline(res.body, ctx.io.stdout, { end: false });
      else await writeAtomically(opts.output, res);
    });
}

/** A failed save must not leave a truncated archive under the requested name. */
async function writeAtomically(file: string, res: ApiResponse): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await pipeline(res.body, createWriteStream(tmp, { mode: 0o600 }));
    await rename(tmp, file);
  } catch (e: unknown) {
    await rm(tmp, { force: true });
    throw e;
  }
}
