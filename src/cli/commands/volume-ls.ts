import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { encodeFilters, parseFilters } from '../filters.js';
import { formatRows } from '../format.js';
import { VOLUME_HEADERS, volumeFormat, volumeRows } from '../volume-format.js';
import type { Api } from '../../spec/index.js';
import { collect, FORMAT_HELP } from './shared.js';

interface LsOptions {
  filter?: string[];
  format?: string;
  quiet?: boolean;
}

/** `volume ls`. */
export function volumeLsCommand(ctx: CliContext): Command {
  return new Command('ls')
    .description('List volumes')
    .usage('[OPTIONS]')
    .option('-f, --filter <filter>', "Provide filter values (e.g. 'dangling=true')", collect)
    .option('--format <string>', FORMAT_HELP)
    .option('-q, --quiet', 'Only display volume names')
    .action(async (opts: LsOptions) => {
      const filters = encodeFilters(parseFilters(opts.filter ?? []));
      const list = await ctx.client().json<Api.VolumeListResponse>('GET', '/volumes', { query: { filters } });
      const format = volumeFormat(opts.format ?? '', { quiet: opts.quiet === true });
      ctx.out(formatRows(format, volumeRows(list.Volumes ?? []), VOLUME_HEADERS));
      for (const warning of list.Warnings ?? []) ctx.err(`${warning}\n`);
    });
}
