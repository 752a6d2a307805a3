import { Command } from 'commander';
import { BerthError, invalidArgument } from '../../kernel/index.js';
import { ConnectionError } from '../client.js';
import type { CliContext } from '../context.js';
import { attachAndStart, startContainer } from './attach-start.js';

/** `start`: prints each name; with -a, streams the one container's output and exits with its code. */
export function startCommand(ctx: CliContext): Command {
  return new Command('start')
    .description('Start one or more stopped containers')
    .usage('[OPTIONS] CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .option('-a, --attach', 'Attach STDOUT/STDERR and forward signals')
    .option('-i, --interactive', "Attach container's STDIN")
    .action(async (names: string[], opts: { attach?: boolean; interactive?: boolean }) => {
      if (opts.attach || opts.interactive) {
        if (names.length > 1) throw invalidArgument('you cannot start and attach multiple containers at once');
        const stdin = opts.interactive === true;
        ctx.exitCode = await attachAndStart(ctx, names[0] as string, { stdin, condition: 'next-exit' });
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
