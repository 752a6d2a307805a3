import { Command } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { resolveEnv } from '../flag-values.js';
import { copyOutput } from '../output.js';
import { followWindowSize, forwardInput, rawTerminal, restoreAll, type Restore } from '../terminal.js';
import type { Api } from '../../spec/index.js';
import { collect } from './shared.js';

interface ExecOptions {
  detach?: boolean;
  env?: string[];
  interactive?: boolean;
  privileged?: boolean;
  tty?: boolean;
  user?: string;
  workdir?: string;
}

function execConfig(command: readonly string[], opts: ExecOptions, ctx: CliContext): Api.ContainerExecBody {
  const attach = opts.detach !== true;
  return {
    Cmd: [...command],
    AttachStdin: opts.interactive === true && attach,
    AttachStdout: attach,
    AttachStderr: attach,
    Tty: opts.tty === true,
    Privileged: opts.privileged === true,
    ...(opts.env && { Env: opts.env.map((e) => resolveEnv(e, (name) => ctx.io.env[name])) }),
    ...(opts.user !== undefined && { User: opts.user }),
    ...(opts.workdir !== undefined && { WorkingDir: opts.workdir }),
  };
}

/** Streams the exec's output (and stdin with -i, in raw mode on a terminal) until it ends; returns its exit code. */
async function runAttached(ctx: CliContext, execId: string, opts: ExecOptions): Promise<number> {
  const client = ctx.client();
  const path = `/exec/${pathParam(execId)}`;
  const tty = opts.tty === true;
  const conn = await client.hijack(`${path}/start`, { json: { Detach: false, Tty: tty } });
  const steps: Restore[] = [];
  // End of stdin half-closes the connection: the process sees EOF, output keeps coming.
  if (opts.interactive && conn.input) steps.push(forwardInput(ctx, conn.input));
  if (opts.interactive && tty) steps.push(rawTerminal(ctx));
  if (tty) steps.push(followWindowSize(ctx, `${path}/resize`));
  try {
    await copyOutput(conn.output, ctx.io, conn.multiplexed);
  } finally {
    restoreAll(steps);
    conn.output.destroy();
  }
  const inspect = await client.json<Api.ExecInspectResponse>('GET', `${path}/json`);
  return inspect.ExitCode ?? 0;
}

/** `exec` and `container exec`. */
export function execCommand(ctx: CliContext): Command {
  return new Command('exec')
    .description('Execute a command in a running container')
    .usage('[OPTIONS] CONTAINER COMMAND [ARG...]')
    .argument('<container>')
    .argument('<command...>')
    .passThroughOptions()
    .option('-d, --detach', 'Detached mode: run command in the background')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('--privileged', 'Give extended privileges to the command')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('-u, --user <string>', 'Username or UID (format: "<name|uid>[:<group|gid>]")')
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .action(async (container: string, command: string[], opts: ExecOptions) => {
      const client = ctx.client();
      const created = await client.json<{ Id: string }>('POST', `/containers/${pathParam(container)}/exec`, {
        json: execConfig(command, opts, ctx),
      });
      if (opts.detach) {
        await client.json<unknown>('POST', `/exec/${pathParam(created.Id)}/start`, {
          json: { Detach: true, Tty: opts.tty === true },
        });
        return;
      }
      ctx.exitCode = await runAttached(ctx, created.Id, opts);
    });
}
