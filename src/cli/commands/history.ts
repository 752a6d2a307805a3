import { Command, Option } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { formatRows } from '../format.js';
import { HISTORY_HEADERS, historyFormat, historyRow } from '../image-format.js';
import type { Api } from '../../spec/index.js';
import { FORMAT_HELP } from './shared.js';

interface HistoryOptions {
  format?: string;
  human: boolean;
  trunc: boolean;
  quiet?: boolean;
}

/** `history` and `image history`. */
export function historyCommand(ctx: CliContext): Command {
  return new Command('history')
    .description('Show the history of an image')
    .usage('[OPTIONS] IMAGE')
    .argument('<image>')
    .option('--format <string>', FORMAT_HELP)
    .option('-H, --human', 'Print sizes and dates in human readable format', true)
    .addOption(new Option('--no-human').hideHelp())
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only show image IDs')
    .action(async (image: string, opts: HistoryOptions) => {
      const items = await ctx.client().json<Api.HistoryResponseItem[]>('GET', `/images/${pathParam(image)}/history`);
      const format = historyFormat(opts.format ?? '', { quiet: opts.quiet === true, human: opts.human });
      const rows = items.map((h) => historyRow(h, { trunc: opts.trunc, human: opts.human }));
      ctx.out(formatRows(format, rows, HISTORY_HEADERS));
    });
}
