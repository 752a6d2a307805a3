import { Command } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { timestampParam } from '../flag-values.js';
import { copyOutput } from '../output.js';

interface LogsOptions {
  details?: boolean;
  follow?: boolean;
  since?: string;
  tail?: string;
  timestamps?: boolean;
  until?: string;
}

const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

/** `logs` and `container logs`. */
export function logsCommand(ctx: CliContext): Command {
  return new Command('logs')
    .description('Fetch the logs of a container')
    .usage('[OPTIONS] CONTAINER')
    .argument('<container>')
    .option('--details', 'Show extra details provided to logs')
    .option('-f, --follow', 'Follow log output')
    .option('--since <string>', 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")')
    .option('-n, --tail <string>', 'Number of lines to show from the end of the logs', 'all')
    .option('-t, --timestamps', 'Show timestamps')
    .option('--until <string>', 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")')
    .action(async (container: string, opts: LogsOptions) => {
      const res = await ctx.client().request('GET', `/containers/${pathParam(container)}/logs`, {
        query: {
          stdout: true,
          stderr: true,
          follow: opts.follow === true,
          since: opts.since === undefined ? undefined : timestampParam(opts.since),
          until: opts.until === undefined ? undefined : timestampParam(opts.until),
          timestamps: opts.timestamps === true,
          details: opts.details === true,
          tail: opts.tail,
        },
      });
      const multiplexed = String(res.headers['content-type']).includes(MULTIPLEXED_STREAM);
      await copyOutput(res.body, ctx.io, multiplexed);
    });
}
