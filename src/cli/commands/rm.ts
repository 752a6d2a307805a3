import { Command } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { layerWarning, REMOVE_QUESTION, summarizeChanges, type SizedChange } from '../layer-warning.js';
import type { Api } from '../../spec/index.js';
import { eachContainer } from './each-container.js';

interface RmOptions {
  force?: boolean;
  volumes?: boolean;
  link?: boolean;
}

/**
 * berth's addition to `rm`: say what the writable layer holds before it is
 * gone. On a terminal ask (unless -f); otherwise warn on stderr and go on.
 * Returns false when the user declined.
 */
async function confirmLoss(ctx: CliContext, name: string, force: boolean): Promise<boolean> {
  const path = `/containers/${pathParam(name)}`;
  const state = await ctx.client().json<Api.ContainerInspectResponse>('GET', `${path}/json`);
  // Without -f a running container is refused anyway; do not ask first.
  if (state.State?.Running && !force) return true;
  const changes = await ctx.client().json<SizedChange[] | null>('GET', `${path}/changes`, { query: { size: true } });
  if (!changes || changes.length === 0) return true;
  const warning = layerWarning(name, summarizeChanges(changes));
  const interactive = ctx.io.stdin.isTTY === true && ctx.io.stdout.isTTY === true;
  if (force || !interactive) {
    ctx.err(`WARNING: ${warning}`);
    return true;
  }
  const answer = await ctx.prompt(warning + REMOVE_QUESTION);
  return answer?.trim().toLowerCase() === 'y';
}

/** `rm`, `container rm` and `container remove`. */
export function rmCommand(ctx: CliContext, name: string): Command {
  return new Command(name)
    .description('Remove one or more containers')
    .usage('[OPTIONS] CONTAINER [CONTAINER...]')
    .argument('<container...>')
    .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)')
    .option('-l, --link', 'Remove the specified link')
    .option('-v, --volumes', 'Remove anonymous volumes associated with the container')
    .action(async (names: string[], opts: RmOptions) => {
      await eachContainer(ctx, names, async (container) => {
        if (!(await confirmLoss(ctx, container, opts.force === true))) return null;
        await ctx.client().json<unknown>('DELETE', `/containers/${pathParam(container)}`, {
          query: { force: opts.force === true, v: opts.volumes === true, link: opts.link === true },
        });
      });
    });
}
