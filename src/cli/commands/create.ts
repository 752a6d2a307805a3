import { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { RunFlags } from '../run-config.js';
import { buildCreateBody, createContainer } from './container-create.js';
import { addCreateOptions } from './create-options.js';
import { withHelp } from './run.js';

/** docker create's exit code for any failure. */
const CREATE_FAILED = 125;

/** `create` and `container create`: prints the new container's ID. */
export function createCommand(ctx: CliContext): Command {
  return addCreateOptions(
    new Command('create')
      .description('Create a new container')
      .usage('[OPTIONS] IMAGE [COMMAND] [ARG...]')
      .argument('<image>')
      .argument('[command...]')
      .passThroughOptions(),
  ).action(async (image: string, command: string[], flags: RunFlags) => {
    try {
      const body = await buildCreateBody(ctx, image, command, flags);
      ctx.out(`${await createContainer(ctx, body, flags.name, flags.pull)}\n`);
    } catch (e: unknown) {
      throw withHelp(e, 'create', CREATE_FAILED);
    }
  });
}
