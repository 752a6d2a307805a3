import { Command } from 'commander';
import { BerthError } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import type { Api } from '../../spec/index.js';

/** `port CONTAINER [PRIVATE_PORT[/PROTO]]`: the published bindings from inspect, as docker prints them. */
export function portCommand(ctx: CliContext): Command {
  return new Command('port')
    .description('List port mappings or a specific mapping for the container')
    .usage('CONTAINER [PRIVATE_PORT[/PROTO]]')
    .argument('<container>')
    .argument('[port]')
    .action(async (container: string, port: string | undefined) => {
      const c = await ctx
        .client()
        .json<{ NetworkSettings?: { Ports?: Api.PortMap } }>('GET', `/containers/${pathParam(container)}/json`);
      const ports = c.NetworkSettings?.Ports ?? {};
      const lines: string[] = [];
      if (port !== undefined) {
        const key = port.includes('/') ? port : `${port}/tcp`;
        const bindings = ports[key];
        if (!bindings?.length) throw new BerthError('not-found', `No public port '${key}' published for ${container}`);
        for (const b of bindings) lines.push(`${b.HostIp ?? ''}:${b.HostPort ?? ''}`);
      } else {
        for (const [key, bindings] of Object.entries(ports).sort(([a], [b]) => (a < b ? -1 : 1))) {
          for (const b of bindings ?? []) lines.push(`${key} -> ${b.HostIp ?? ''}:${b.HostPort ?? ''}`);
        }
      }
      if (lines.length) ctx.out(`${lines.join('\n')}\n`);
    });
}
