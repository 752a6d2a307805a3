import { Command } from 'commander';
import { BerthError } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { encodeFilters, parseFilters } from '../filters.js';
import type { Api } from '../../spec/index.js';
import { eachContainer } from './each-container.js';
import { inspectEach } from './image-inspect.js';
import { networkLsCommand } from './network-ls.js';
import { collect, INSPECT_FORMAT_HELP } from './shared.js';
import { keyValues } from '../flag-values.js';

interface CreateOptions {
  driver: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  label?: string[];
  opt?: string[];
}

function networkCreateCommand(ctx: CliContext): Command {
  return new Command('create')
    .description('Create a network')
    .usage('[OPTIONS] NETWORK')
    .argument('<network>')
    .option('-d, --driver <string>', 'Driver to manage the Network', 'bridge')
    .option('--subnet <string>', 'Subnet in CIDR format that represents a network segment')
    .option('--gateway <string>', 'IPv4 Gateway for the master subnet')
    .option('--ip-range <string>', 'Allocate container ip from a sub-range')
    .option('--internal', 'Restrict external access to the network')
    .option('--label <list>', 'Set metadata on a network', collect)
    .option('-o, --opt <map>', 'Set driver specific options', collect)
    .action(async (name: string, opts: CreateOptions) => {
      const config = {
        ...(opts.subnet && { Subnet: opts.subnet }),
        ...(opts.gateway && { Gateway: opts.gateway }),
        ...(opts.ipRange && { IPRange: opts.ipRange }),
      };
      const body = {
        Name: name,
        Driver: opts.driver,
        Internal: opts.internal === true,
        IPAM: { Driver: 'default', Config: Object.keys(config).length ? [config] : [] },
        Options: keyValues(opts.opt ?? []),
        Labels: keyValues(opts.label ?? []),
      };
      const created = await ctx.client().json<Api.NetworkCreateResponse>('POST', '/networks/create', { json: body });
      ctx.out(`${created.Id}\n`);
    });
}

function networkInspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('Display detailed information on one or more networks')
    .usage('[OPTIONS] NETWORK [NETWORK...]')
    .argument('<network...>')
    .option('-f, --format <string>', INSPECT_FORMAT_HELP)
    .action(async (names: string[], opts: { format?: string }) => {
      await inspectEach(ctx, names, opts.format ?? '', (name) =>
        ctx.client().json<unknown>('GET', `/networks/${pathParam(name)}`),
      );
    });
}

function networkRmCommand(ctx: CliContext): Command {
  return new Command('rm')
    .description('Remove one or more networks')
    .usage('NETWORK [NETWORK...]')
    .argument('<network...>')
    .action(async (names: string[]) => {
      await eachContainer(ctx, names, async (name) => {
        await ctx.client().json<unknown>('DELETE', `/networks/${pathParam(name)}`);
      });
    });
}

const PRUNE_WARNING =
  'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';

function networkPruneCommand(ctx: CliContext): Command {
  return new Command('prune')
    .description('Remove all unused networks')
    .usage('[OPTIONS]')
    .option('--filter <filter>', 'Provide filter values (e.g. "label=<label>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (opts: { filter?: string[]; force?: boolean }) => {
      const filters = parseFilters(opts.filter ?? []);
      if (!opts.force) {
        const answer = await ctx.prompt(PRUNE_WARNING);
        if (answer?.trim().toLowerCase() !== 'y') throw new BerthError('canceled', 'network prune has been cancelled');
      }
      const report = await ctx.client().json<{ NetworksDeleted?: string[] }>('POST', '/networks/prune', {
        query: { filters: encodeFilters(filters) },
      });
      const deleted = report.NetworksDeleted ?? [];
      if (deleted.length > 0) ctx.out(`Deleted Networks:\n${deleted.join('\n')}\n`);
    });
}

function networkConnectCommand(ctx: CliContext): Command {
  return new Command('connect')
    .description('Connect a container to a network')
    .usage('[OPTIONS] NETWORK CONTAINER')
    .argument('<network>')
    .argument('<container>')
    .option('--alias <strings>', 'Add network-scoped alias for the container', collect)
    .option('--ip <string>', 'IPv4 address (e.g., "172.30.100.104")')
    .action(async (network: string, container: string, opts: { alias?: string[]; ip?: string }) => {
      const endpoint: Api.EndpointSettings = {
        ...(opts.alias?.length && { Aliases: opts.alias }),
        ...(opts.ip && { IPAMConfig: { IPv4Address: opts.ip } }),
      };
      await ctx.client().json<unknown>('POST', `/networks/${pathParam(network)}/connect`, {
        json: { Container: container, EndpointConfig: endpoint },
      });
    });
}

function networkDisconnectCommand(ctx: CliContext): Command {
  return new Command('disconnect')
    .description('Disconnect a container from a network')
    .usage('[OPTIONS] NETWORK CONTAINER')
    .argument('<network>')
    .argument('<container>')
    .option('-f, --force', 'Force the container to disconnect from a network')
    .action(async (network: string, container: string, opts: { force?: boolean }) => {
      await ctx.client().json<unknown>('POST', `/networks/${pathParam(network)}/disconnect`, {
        json: { Container: container, Force: opts.force === true },
      });
    });
}

/** `network <subcommand>`. */
export function networkCommand(ctx: CliContext): Command {
  return new Command('network')
    .description('Manage networks')
    .usage('COMMAND')
    .addCommand(networkConnectCommand(ctx))
    .addCommand(networkCreateCommand(ctx))
    .addCommand(networkDisconnectCommand(ctx))
    .addCommand(networkInspectCommand(ctx))
    .addCommand(networkLsCommand(ctx).alias('list'))
    .addCommand(networkPruneCommand(ctx))
    .addCommand(networkRmCommand(ctx).alias('remove'));
}
