import { Command } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import type { Api } from '../../spec/index.js';
import { eachContainer } from './each-container.js';
import { inspectEach } from './image-inspect.js';
import { collect, INSPECT_FORMAT_HELP } from './shared.js';
import { keyValues } from '../flag-values.js';
import { volumeLsCommand } from './volume-ls.js';
import { volumePruneCommand } from './volume-prune.js';

interface CreateOptions {
  driver: string;
  label?: string[];
  opt?: string[];
}

function volumeCreateCommand(ctx: CliContext): Command {
  return new Command('create')
    .description('Create a volume')
    .usage('[OPTIONS] [VOLUME]')
    .argument('[volume]')
    .option('-d, --driver <string>', 'Specify volume driver name', 'local')
    .option('--label <list>', 'Set metadata for a volume', collect)
    .option('-o, --opt <map>', 'Set driver specific options', collect)
    .action(async (name: string | undefined, opts: CreateOptions) => {
      const body: Api.VolumeCreateRequest = {
        ...(name !== undefined && { Name: name }),
        Driver: opts.driver,
        DriverOpts: keyValues(opts.opt ?? []),
        Labels: keyValues(opts.label ?? []),
      };
      const volume = await ctx.client().json<Api.Volume>('POST', '/volumes/create', { json: body });
      ctx.out(`${volume.Name}\n`);
    });
}

function volumeInspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('Display detailed information on one or more volumes')
    .usage('[OPTIONS] VOLUME [VOLUME...]')
    .argument('<volume...>')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .action(async (names: string[], opts: { format?: string }) => {
      await inspectEach(ctx, names, opts.format ?? '', (name) =>
        ctx.client().json<unknown>('GET', `/volumes/${pathParam(name)}`),
      );
    });
}

function volumeRmCommand(ctx: CliContext): Command {
  return new Command('rm')
    .description('Remove one or more volumes. You cannot remove a volume that is in use by a container.')
    .usage('[OPTIONS] VOLUME [VOLUME...]')
    .argument('<volume...>')
    .option('-f, --force', 'Force the removal of one or more volumes')
    .action(async (names: string[], opts: { force?: boolean }) => {
      await eachContainer(ctx, names, async (name) => {
        await ctx.client().json<unknown>('DELETE', `/volumes/${pathParam(name)}`, {
          query: { force: opts.force === true },
        });
      });
    });
}

/** `volume <subcommand>`. */
export function volumeCommand(ctx: CliContext): Command {
  return new Command('volume')
    .description('Manage volumes')
    .usage('COMMAND')
    .addCommand(volumeCreateCommand(ctx))
    .addCommand(volumeInspectCommand(ctx))
    .addCommand(volumeLsCommand(ctx).alias('list'))
    .addCommand(volumePruneCommand(ctx))
    .addCommand(volumeRmCommand(ctx).alias('remove'));
}
