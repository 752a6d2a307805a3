import { Command } from 'commander';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import type { SizedChange } from '../layer-warning.js';
import { tabwrite } from '../table.js';
import { humanSizeWithPrecision } from '../units.js';

/** Docker's ChangeType letters: 0 modified, 1 added, 2 deleted. */
const KIND_LETTERS = ['C', 'A', 'D'];

/** `C /etc` lines; with sizes, an aligned size column (none for deletions). */
export function renderChanges(changes: readonly SizedChange[], withSize: boolean): string {
  const lines = changes.map((c) => {
    const line = `${KIND_LETTERS[c.Kind] ?? '?'} ${c.Path}`;
    if (!withSize) return line + '\n';
    return `${line}\t${c.Kind === 2 ? '' : humanSizeWithPrecision(c.Size ?? 0, 3)}\n`;
  });
  if (!withSize) return lines.join('');
  // A deletion's empty size cell would leave padding at the end of its line.
  return tabwrite(lines.join('')).replace(/ +$/gm, '');
}

/** `diff` and `container diff`; `--size` is berth's addition. */
export function diffCommand(ctx: CliContext): Command {
  return new Command('diff')
    .description("Inspect changes to files or directories on a container's filesystem")
    .usage('[OPTIONS] CONTAINER')
    .argument('<container>')
    .option('-s, --size', 'Show the size of each added or changed file (berth)')
    .action(async (container: string, opts: { size?: boolean }) => {
      const changes = await ctx
        .client()
        .json<SizedChange[] | null>('GET', `/containers/${pathParam(container)}/changes`, {
          query: { size: opts.size === true },
        });
      ctx.out(renderChanges(changes ?? [], opts.size === true));
    });
}
