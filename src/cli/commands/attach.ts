import { Command, Option } from 'commander';
import { conflict } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import type { Api } from '../../spec/index.js';
import { attachSession, sessionExitCode } from './attach-start.js';

interface AttachFlags {
  detachKeys?: string;
  stdin?: boolean;
  sigProxy?: boolean;
}

/** `attach` and `container attach`: joins a running container's stdio until it exits or the user detaches. */
export function attachCommand(ctx: CliContext): Command {
  return new Command('attach')
    .description('Attach local standard input, output, and error streams to a running container')
    .usage('[OPTIONS] CONTAINER')
    .argument('<container>')
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .option('--no-stdin', 'Do not attach STDIN')
    .option('--sig-proxy', 'Proxy all received signals to the process', true)
    .addOption(new Option('--no-sig-proxy').hideHelp())
    .action(async (container: string, flags: AttachFlags) => {
      const info = await ctx
        .client()
        .json<Api.ContainerInspectResponse>('GET', `/containers/${pathParam(container)}/json`);
      if (info.State?.Running !== true) throw conflict('You cannot attach to a stopped container, start it first');
      if (info.State.Paused === true) throw conflict('You cannot attach to a paused container, unpause it first');
      const end = await attachSession(ctx, info.Id ?? container, {
        stdin: flags.stdin !== false && info.Config?.OpenStdin === true,
        tty: info.Config?.Tty === true,
        condition: 'next-exit',
        start: false,
        sigProxy: flags.sigProxy !== false,
        ...(flags.detachKeys !== undefined && { detachKeys: flags.detachKeys }),
      });
      ctx.exitCode = sessionExitCode(end);
    });
}
