import { ConnectionError } from '../client.js';
import type { CliContext } from '../context.js';
import { joinErrors } from './shared.js';

/**
 * Runs `act` on each named container; prints the name as given on success
 * (or what `act` returns; null prints nothing), then fails with one line per container that
 * failed — the docker CLI's way for stop, kill, rm, pause and the like.
 */
export async function eachContainer(
  ctx: CliContext,
  names: readonly string[],
  act: (name: string) => Promise<string | null | void>,
): Promise<void> {
  const errors: Error[] = [];
  for (const name of names) {
    try {
      const line = await act(name);
      if (line !== null) ctx.out(`${line ?? name}\n`);
    } catch (e: unknown) {
      if (!(e instanceof Error) || e instanceof ConnectionError) throw e;
      errors.push(e);
    }
  }
  if (errors.length > 0) throw joinErrors(errors);
}
