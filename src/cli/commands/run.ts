import { Command, Option } from 'commander';
import { BerthError, errorMessage } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import type { RunFlags } from '../run-config.js';
import { StatusError } from '../status-error.js';
import type { Api } from '../../spec/index.js';
import { attachSession, sessionExitCode, startContainer } from './attach-start.js';
import { buildCreateBody, createContainer } from './container-create.js';
import { addCreateOptions } from './create-options.js';

const DAEMON_PREFIX = 'Error response from daemon: ';

/**
 * docker run's exit codes for its own failures: 127 when the command was not
 * found, 126 when it could not be executed, 125 for everything else. Like
 * the docker CLI, this reads the error text.
 */
function runExitCode(message: string): number {
  const text = message.startsWith(DAEMON_PREFIX) ? message.slice(DAEMON_PREFIX.length) : message;
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(text)) {
    return 127;
  }
  if (/permission denied|is a directory/.test(text)) return 126;
  return 125;
}

/** docker's `docker: <error>` followed by a pointer to the command's help. */
export function withHelp(e: unknown, command: string, exitCode: number): StatusError {
  if (e instanceof StatusError) return e;
  const message = `berth: ${errorMessage(e)}\n\nRun 'berth ${command} --help' for more information`;
  return new StatusError(exitCode, message, { cause: e, ...(e instanceof BerthError && { kind: e.kind }) });
}

async function isStarted(ctx: CliContext, id: string): Promise<boolean> {
  const info = await ctx
    .client()
    .json<Api.ContainerInspectResponse>('GET', `/containers/${id}/json`)
    .catch(() => undefined);
  return info?.State?.Status !== 'created';
}

async function removeQuietly(ctx: CliContext, id: string): Promise<void> {
  await ctx
    .client()
    .json<unknown>('DELETE', `/containers/${id}`, { query: { force: true } })
    .catch(() => undefined);
}

/** Flags only `run` has, beyond those it shares with `create`. */
interface RunOnlyFlags {
  sigProxy?: boolean;
  detachKeys?: string;
}

async function runContainer(
  ctx: CliContext,
  image: string,
  command: string[],
  flags: RunFlags & RunOnlyFlags,
): Promise<number> {
  const body = await buildCreateBody(ctx, image, command, flags);
  const id = await createContainer(ctx, body, flags.name, flags.pull);
  if (!flags.detach) {
    const session = attachSession(ctx, id, {
      stdin: flags.interactive === true,
      tty: flags.tty === true,
      condition: flags.rm ? 'removed' : 'next-exit',
      start: true,
      sigProxy: flags.sigProxy !== false,
      ...(flags.detachKeys !== undefined && { detachKeys: flags.detachKeys }),
    });
    return sessionExitCode(
      await session.catch(async (e: unknown) => {
        // A container that never ran must not outlive the run that promised --rm.
        if (flags.rm && !(await isStarted(ctx, id))) await removeQuietly(ctx, id);
        throw e;
      }),
    );
  }
  await startContainer(ctx, id);
  ctx.out(`${id}\n`);
  return 0;
}

/** `run` and `container run`. */
export function runCommand(ctx: CliContext): Command {
  return addCreateOptions(
    new Command('run')
      .description('Create and run a new container from an image')
      .usage('[OPTIONS] IMAGE [COMMAND] [ARG...]')
      .argument('<image>')
      .argument('[command...]')
      .passThroughOptions()
      .option('-d, --detach', 'Run container in background and print container ID')
      .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
      .option('--sig-proxy', 'Proxy received signals to the process', true)
      .addOption(new Option('--no-sig-proxy').hideHelp()),
  ).action(async (image: string, command: string[], flags: RunFlags & RunOnlyFlags) => {
    try {
      ctx.exitCode = await runContainer(ctx, image, command, flags);
    } catch (e: unknown) {
      throw withHelp(e, 'run', runExitCode(errorMessage(e)));
    }
  });
}
