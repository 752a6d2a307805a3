import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { infoCommand } from './info.js';
import { systemDfCommand } from './system-df.js';

/** `system <subcommand>`. */
export function systemCommand(ctx: CliContext): Command {
  return new Command('system')
    .description('Manage berth')
    .usage('COMMAND')
    .addCommand(systemDfCommand(ctx))
    .addCommand(infoCommand(ctx));
}
