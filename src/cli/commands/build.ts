import { Command } from 'commander';
import { invalidArgument } from '../../kernel/index.js';
import { packContext } from '../build-context.js';
import type { CliContext } from '../context.js';
import { collect, showProgress } from './shared.js';

interface BuildFlags {
  tag?: string[];
  file?: string;
  buildArg?: string[];
  target?: string;
  cache?: boolean;
  label?: string[];
  quiet?: boolean;
  pull?: boolean;
  platform?: string;
  network?: string;
}

/**
 * `build` (and `image build`): packs the context as the docker CLI does and
 * shows the classic builder's output. `-` reads a context tar from stdin.
 */
export function buildCommand(ctx: CliContext): Command {
  return new Command('build')
    .description('Build an image from a Dockerfile')
    .usage('[OPTIONS] PATH | -')
    .argument('<path>')
    .option('-t, --tag <name>', 'Name and optionally a tag in the "name:tag" format', collect)
    .option('-f, --file <string>', "Name of the Dockerfile (Default is 'PATH/Dockerfile')")
    .option('--build-arg <list>', 'Set build-time variables', collect)
    .option('--target <string>', 'Set the target build stage to build')
    .option('--no-cache', 'Do not use cache when building the image')
    .option('--label <list>', 'Set metadata for an image', collect)
    .option('-q, --quiet', 'Suppress the build output and print image ID on success')
    .option('--pull', 'Always attempt to pull a newer version of the image')
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .option('--network <string>', 'Set the networking mode for the RUN instructions during build')
    .action(async (path: string, flags: BuildFlags) => {
      const packed = path === '-' ? { tar: ctx.io.stdin, dockerfile: flags.file } : await packContext(path, flags.file);
      const res = await ctx.client().request('POST', '/build', {
        query: {
          t: flags.tag ?? [],
          dockerfile: packed.dockerfile,
          buildargs: JSON.stringify(keyValues(flags.buildArg ?? [], ctx.io.env)),
          labels: JSON.stringify(keyValues(flags.label ?? [], {})),
          target: flags.target,
          nocache: flags.cache === false,
          q: flags.quiet === true,
          pull: flags.pull === true,
          platform: flags.platform,
          networkmode: flags.network,
        },
        stream: packed.tar,
        contentType: 'application/x-tar',
      });
      await showProgress(ctx, res);
    });
}

/** `K=V` pairs; a bare `K` takes its value from the environment, as docker does (null when unset). */
function keyValues(
  items: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq === 0) throw invalidArgument(`invalid key/value: ${item}`);
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
    else out[item] = env[item] ?? null;
  }
  return out;
}
