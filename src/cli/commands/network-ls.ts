import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { encodeFilters, parseFilters } from '../filters.js';
import { formatRows, TABLE_FORMAT } from '../format.js';
import { FormatContext } from '../template.js';
import type { Api } from '../../spec/index.js';
import { collect, FORMAT_HELP } from './shared.js';

/** Column headers of docker's network formatter, field for field. */
const NETWORK_HEADERS: Record<string, string> = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  CreatedAt: 'CREATED AT',
};

const NETWORK_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';

function networkRow(n: Api.Network, noTrunc: boolean): FormatContext {
  const labels = Object.entries(n.Labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return new FormatContext(
    {
      ID: noTrunc ? (n.Id ?? '') : (n.Id ?? '').slice(0, 12),
      Name: n.Name ?? '',
      Driver: n.Driver ?? '',
      Scope: n.Scope ?? '',
      IPv6: String(n.EnableIPv6 === true),
      Internal: String(n.Internal === true),
      Labels: labels.join(','),
      CreatedAt: n.Created ?? '',
    },
    'networkContext',
  );
}

interface LsOptions {
  filter?: string[];
  format?: string;
  quiet?: boolean;
  trunc: boolean;
}

/** `network ls`: sorted by name, as docker prints them. */
export function networkLsCommand(ctx: CliContext): Command {
  return new Command('ls')
    .description('List networks')
    .usage('[OPTIONS]')
    .option('-f, --filter <filter>', "Provide filter values (e.g. 'driver=bridge')", collect)
    .option('--format <string>', FORMAT_HELP)
    .option('--no-trunc', 'Do not truncate the output')
    .option('-q, --quiet', 'Only display network IDs')
    .action(async (opts: LsOptions) => {
      const filters = encodeFilters(parseFilters(opts.filter ?? []));
      const list = await ctx.client().json<Api.Network[]>('GET', '/networks', { query: { filters } });
      const sorted = [...list].sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : 1));
      const given = opts.format ?? '';
      const format = given !== '' && given !== TABLE_FORMAT ? given : opts.quiet ? '{{.ID}}' : NETWORK_TABLE;
      ctx.out(
        formatRows(
          format,
          sorted.map((n) => networkRow(n, !opts.trunc)),
          NETWORK_HEADERS,
        ),
      );
    });
}
