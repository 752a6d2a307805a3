import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import type { ApiResponse } from '../client.js';
import type { CliContext } from '../context.js';
import { registryAuthHeaders } from '../docker-config.js';
import { readJSONValues } from '../json-stream.js';
import { parseReference, splitDomain } from '../names.js';
import { displayJSONMessages } from '../progress.js';
import { showProgress } from './shared.js';

export interface PullFlags {
  platform?: string;
  quiet?: boolean;
}

/** `busybox` → `docker.io/library/busybox:latest`: the name docker pull prints when done. */
function canonicalName(image: string): string {
  const ref = parseReference(image);
  if (!ref) return image;
  const { domain, path } = splitDomain(ref.name);
  let name = ref.name;
  if (domain === undefined) name = `docker.io/${path.includes('/') ? '' : 'library/'}${path}`;
  else if (domain === 'index.docker.io') name = `docker.io/${path}`;
  if (ref.digest !== undefined) return `${name}${ref.tag ? `:${ref.tag}` : ''}@${ref.digest}`;
  return `${name}:${ref.tag ?? 'latest'}`;
}

/**
 * Pulls through the daemon with the stored credentials for the image's
 * registry, drawing progress on `ctx`'s stdout (run and create pass a
 * context whose stdout is stderr).
 */
export async function pullWithProgress(ctx: CliContext, image: string, flags: PullFlags = {}): Promise<void> {
  const ref = parseReference(image);
  if (!ref) throw invalidArgument(`invalid reference format: "${image}" is not a valid repository/tag`);
  const tag = ref.digest ?? ref.tag ?? 'latest';
  const res = await ctx.client().request('POST', '/images/create', {
    query: { fromImage: ref.name, tag, platform: flags.platform },
    headers: await registryAuthHeaders(ctx.io.env, image),
  });
  await (flags.quiet ? drainProgress(res) : showProgress(ctx, res));
}

/** Reads a progress stream without showing it; rejects on an error message in it. */
export async function drainProgress(res: ApiResponse): Promise<void> {
  await displayJSONMessages(readJSONValues(res.body), () => {}, { isTTY: false });
}

/** `pull` and `image pull`. */
export function pullCommand(ctx: CliContext): Command {
  return new Command('pull')
    .description('Download an image from a registry')
    .usage('[OPTIONS] NAME[:TAG|@DIGEST]')
    .argument('<name>')
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .option('-q, --quiet', 'Suppress verbose output')
    .action(async (name: string, flags: PullFlags) => {
      await pullWithProgress(ctx, name, flags);
      ctx.out(`${canonicalName(name)}\n`);
    });
}
