import { attachCommand } from './attach.js';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { commitCommand } from './commit.js';
import { containerInspectCommand } from './inspect.js';
import { containerPruneCommand } from './container-prune.js';
import { createCommand } from './create.js';
import { diffCommand } from './diff.js';
import { execCommand } from './exec.js';
import { killCommand, pauseCommand, renameCommand, stopCommand, waitCommand } from './lifecycle.js';
import { logsCommand } from './logs.js';
import { psCommand } from './ps.js';
import { rmCommand } from './rm.js';
import { runCommand } from './run.js';
import { startCommand } from './start.js';

/** `container <subcommand>`: the management form of the container commands. */
export function containerCommand(ctx: CliContext): Command {
  const subcommands = [
    attachCommand(ctx),
    commitCommand(ctx),
    createCommand(ctx),
    diffCommand(ctx),
    execCommand(ctx),
    containerInspectCommand(ctx),
    killCommand(ctx),
    logsCommand(ctx),
    psCommand(ctx, 'ls').alias('list').alias('ps'),
    pauseCommand(ctx, 'pause'),
    containerPruneCommand(ctx),
    renameCommand(ctx),
    stopCommand(ctx, 'restart'),
    rmCommand(ctx, 'rm').alias('remove'),
    runCommand(ctx),
    startCommand(ctx),
    stopCommand(ctx, 'stop'),
    pauseCommand(ctx, 'unpause'),
    waitCommand(ctx),
  ];
  const group = new Command('container').description('Manage containers').usage('COMMAND').enablePositionalOptions();
  for (const sub of subcommands) group.addCommand(sub);
  return group;
}
