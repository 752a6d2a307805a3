import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { buildCommand } from './build.js';
import { historyCommand } from './history.js';
import { imageInspectCommand } from './image-inspect.js';
import { imagePruneCommand } from './image-prune.js';
import { imagesCommand } from './images.js';
import { importCommand } from './import.js';
import { loadCommand } from './load.js';
import { pullCommand } from './pull.js';
import { pushCommand } from './push.js';
import { rmiCommand } from './rmi.js';
import { saveCommand } from './save.js';
import { tagCommand } from './tag.js';

/** `image <subcommand>`: the management form of the image commands. */
export function imageCommand(ctx: CliContext): Command {
  return new Command('image')
    .description('Manage images')
    .usage('COMMAND')
    .addCommand(buildCommand(ctx))
    .addCommand(historyCommand(ctx))
    .addCommand(importCommand(ctx))
    .addCommand(imageInspectCommand(ctx))
    .addCommand(loadCommand(ctx))
    .addCommand(imagesCommand(ctx, 'ls').alias('list'))
    .addCommand(imagePruneCommand(ctx))
    .addCommand(pullCommand(ctx))
    .addCommand(pushCommand(ctx))
    .addCommand(rmiCommand(ctx, 'rm').alias('remove').alias('rmi'))
    .addCommand(saveCommand(ctx))
    .addCommand(tagCommand(ctx));
}
