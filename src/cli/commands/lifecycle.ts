import { Command } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import type { Api } from '../../spec/index.js';
import { eachContainer } from './each-container.js';

interface StopOptions {
  signal?: string;
  timeout?: string;
}

function post(ctx: CliContext, name: string, action: string, query: Record<string, string | undefined> = {}) {
  return ctx.client().json<unknown>('POST', `/containers/${pathParam(name)}/${action}`, { query });
}

/** `stop` and `restart`: a signal, then SIGKILL after the timeout. */
export function stopCommand(ctx: CliContext, action: 'stop' | 'restart'): Command {
  const what = action === 'stop' ? 'Stop one or more running containers' : 'Restart one or more containers';
  return new Command(action)
    .description(what)
    .usage('[OPTIONS] CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .option('-s, --signal <string>', 'Signal to send to the container')
    .option('-t, --timeout <int>', 'Seconds to wait before killing the container')
    .action(async (names: string[], opts: StopOptions) => {
      await eachContainer(ctx, names, async (name) => {
        await post(ctx, name, action, { signal: opts.signal, t: opts.timeout });
      });
    });
}

export function killCommand(ctx: CliContext): Command {
  return new Command('kill')
    .description('Kill one or more running containers')
    .usage('[OPTIONS] CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .option('-s, --signal <string>', 'Signal to send to the container')
    .action(async (names: string[], opts: { signal?: string }) => {
      await eachContainer(ctx, names, async (name) => {
        await post(ctx, name, 'kill', { signal: opts.signal });
      });
    });
}

/** `pause` and `unpause`. */
export function pauseCommand(ctx: CliContext, action: 'pause' | 'unpause'): Command {
  const verb = action === 'pause' ? 'Pause' : 'Unpause';
  return new Command(action)
    .description(`${verb} all processes within one or more containers`)
    .usage('CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .action(async (names: string[]) => {
      await eachContainer(ctx, names, async (name) => {
        await post(ctx, name, action);
      });
    });
}

/** `wait`: prints each container's exit code. */
export function waitCommand(ctx: CliContext): Command {
  return new Command('wait')
    .description('Block until one or more containers stop, then print their exit codes')
    .usage('CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .action(async (names: string[]) => {
      await eachContainer(ctx, names, async (name) => {
        const path = `/containers/${pathParam(name)}/wait`;
        const result = await ctx.client().json<Api.ContainerWaitResponse>('POST', path);
        return String(result.StatusCode);
      });
    });
}

export function renameCommand(ctx: CliContext): Command {
  return new Command('rename')
    .description('Rename a container')
    .usage('CONTAINER NEW_NAME')
    .argument('<container>')
    .argument('<name>')
    .action(async (name: string, newName: string) => {
      await post(ctx, name, 'rename', { name: newName.trim() });
    });
}
