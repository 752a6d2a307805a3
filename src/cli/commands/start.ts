import { Command } from 'commander';
import { BerthError, invalidArgument } from '../../kernel/index.js';
import { ConnectionError } from '../client.js';
import type { CliContext } from '../context.js';
import { attachSession, containerHasTty, sessionExitCode, startContainer } from './attach-start.js';

/** `start`: prints each name; with -a, streams the one container's output and exits with its code. */
export function startCommand(ctx: CliContext): Command {
  return new Command('start')
    .description('Start one or more stopped containers')
    .usage('[OPTIONS] CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .option('-a, --attach', 'Attach STDOUT/STDERR and forward signals')
    .option('-i, --interactive', "Attach container's STDIN")
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .action(async (names: string[], opts: { attach?: boolean; interactive?: boolean; detachKeys?: string }) => {
      if (opts.attach || opts.interactive) {
        if (names.length > 1) throw invalidArgument('you cannot start and attach multiple containers at once');
        const id = names[0] as string;
        const end = await attachSession(ctx, id, {
          stdin: opts.interactive === true,
          tty: await containerHasTty(ctx, id),
          condition: 'next-exit',
          start: true,
          sigProxy: true,
          ...(opts.detachKeys !== undefined && { detachKeys: opts.detachKeys }),
        });
        ctx.exitCode = sessionExitCode(end);
        return;
      }
      const failed: string[] = [];
      for (const name of names) {
        try {
          await startContainer(ctx, name);
          ctx.out(`${name}\n`);
        } catch (e: unknown) {
          if (!(e instanceof Error) || e instanceof ConnectionError) throw e;
          ctx.err(`${e.message}\n`);
          failed.push(name);
        }
      }
      if (failed.length > 0)
        throw new BerthError('internal', `Error: failed to start containers: ${failed.join(', ')}`);
    });
}
