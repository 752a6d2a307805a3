import type { Readable } from 'node:stream';
import { BerthError } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { copyOutput } from '../output.js';
import type { Api } from '../../spec/index.js';

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startContainer(ctx: CliContext, id: string): Promise<void> {
  await ctx.client().json<unknown>('POST', `/containers/${pathParam(id)}/start`);
}

export interface AttachOptions {
  stdin: boolean;
  /** `removed` for --rm containers, so the exit code is read after the removal. */
  condition: 'next-exit' | 'removed';
}

/**
 * Attaches, waits, then starts — in that order, so neither output nor the
 * exit is missed — copies the output until the container ends it, and
 * returns the exit code.
 */
export async function attachAndStart(ctx: CliContext, id: string, options: AttachOptions): Promise<number> {
  const client = ctx.client();
  const path = `/containers/${pathParam(id)}`;
  const attached = await client.hijack(`${path}/attach`, {
    query: { stream: true, stdin: options.stdin, stdout: true, stderr: true },
  });
  const wait = await client.request('POST', `${path}/wait`, { query: { condition: options.condition } });
  const output = copyOutput(attached.output, ctx.io, attached.multiplexed);
  try {
    await startContainer(ctx, id);
  } catch (e: unknown) {
    // The start error is what the user needs; the cut-off stream's is noise.
    output.catch(() => {});
    attached.output.destroy();
    wait.body.destroy();
    throw e;
  }
  await output;
  attached.output.destroy();
  const result = JSON.parse(await readText(wait.body)) as Api.ContainerWaitResponse;
  if (result.Error?.Message) throw new BerthError('internal', `error waiting for container: ${result.Error.Message}`);
  return result.StatusCode;
}
