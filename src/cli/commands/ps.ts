import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CONTAINER_HEADERS, containerFormat, containerRow } from '../container-format.js';
import { encodeFilters, parseFilters } from '../filters.js';
import { formatRows } from '../format.js';
import type { Api } from '../../spec/index.js';
import { collect, FORMAT_HELP } from './shared.js';

interface PsOptions {
  all?: boolean;
  filter?: string[];
  format?: string;
  last: string;
  latest?: boolean;
  trunc: boolean;
  quiet?: boolean;
  size?: boolean;
}

/** `ps`, `container ls`, `container list` and `container ps`. */
export function psCommand(ctx: CliContext, name: string): Command {
  return new Command(name)
    .description('List containers')
    .usage('[OPTIONS]')
    .option('-a, --all', 'Show all containers (default shows just running)')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', FORMAT_HELP)
    .option('-n, --last <int>', 'Show n last created containers (includes all states)', '-1')
    .option('-l, --latest', 'Show the latest created container (includes all states)')
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only display container IDs')
    .option('-s, --size', 'Display total file sizes')
    .action(async (opts: PsOptions) => {
      const last = opts.latest ? 1 : Number(opts.last);
      const format = containerFormat(opts.format ?? '', { quiet: opts.quiet === true, size: opts.size === true });
      const containers = await ctx.client().json<Api.ContainerSummary[]>('GET', '/containers/json', {
        query: {
          all: opts.all === true || last > 0,
          limit: last > 0 ? last : undefined,
          size: opts.size === true || format.includes('{{.Size}}'),
          filters: encodeFilters(parseFilters(opts.filter ?? [])),
        },
      });
      const rows = containers.map((c) => containerRow(c, { trunc: opts.trunc }));
      ctx.out(formatRows(format, rows, CONTAINER_HEADERS));
    });
}
