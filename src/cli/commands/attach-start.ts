import type { Readable } from 'node:stream';
import { BerthError, DEFAULT_DETACH_KEYS } from '../../kernel/index.js';
import { pathParam } from '../client.js';
import type { CliContext } from '../context.js';
import { copyOutput } from '../output.js';
import type { Api } from '../../spec/index.js';
import { followWindowSize, forwardInput, proxySignals, rawTerminal, restoreAll, type Restore } from '../terminal.js';

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startContainer(ctx: CliContext, id: string): Promise<void> {
  await ctx.client().json<unknown>('POST', `/containers/${pathParam(id)}/start`);
}

export interface AttachOptions {
  /** Send this process's stdin to the container. */
  stdin: boolean;
  /** The container has a terminal: raw mode, window size, detach keys; no signal proxy. */
  tty: boolean;
  /** `removed` for --rm containers, so the exit code is read after the removal. */
  condition: 'next-exit' | 'removed';
  /** Start the container once attached (`run`, `start -a`); `attach` joins a running one. */
  start: boolean;
  /** docker's --sig-proxy: pass received signals to a container without a terminal. */
  sigProxy: boolean;
  detachKeys?: string;
}

/** Whether the container was created with a terminal (`-t`). */
export async function containerHasTty(ctx: CliContext, id: string): Promise<boolean> {
  const info = await ctx.client().json<Api.ContainerInspectResponse>('GET', `/containers/${pathParam(id)}/json`);
  return info.Config?.Tty === true;
}

/** What a session ended with: the container's exit code, or a detach that left it running. */
export type SessionEnd = { exitCode: number } | { detached: true };

/**
 * Attaches, waits, then starts — in that order, so neither output nor the
 * exit is missed — copies the output until the container ends it, and
 * returns the exit code (or that the user detached).
 */
export async function attachSession(ctx: CliContext, id: string, options: AttachOptions): Promise<SessionEnd> {
  const client = ctx.client();
  const path = `/containers/${pathParam(id)}`;
  const attached = await client.hijack(`${path}/attach`, {
    query: { stream: true, stdin: options.stdin, stdout: true, stderr: true },
  });
  const wait = await client.request('POST', `${path}/wait`, { query: { condition: options.condition } });
  const output = copyOutput(attached.output, ctx.io, attached.multiplexed);
  let detached = false;
  const steps: Restore[] = [];
  if (options.stdin && attached.input) {
    const onDetach = () => {
      detached = true;
      attached.output.destroy();
    };
    const detach = options.tty ? { keys: options.detachKeys ?? DEFAULT_DETACH_KEYS, onDetach } : undefined;
    steps.push(forwardInput(ctx, attached.input, detach));
    if (options.tty) steps.push(rawTerminal(ctx));
  }
  if (!options.tty && options.sigProxy) steps.push(proxySignals(ctx, `${path}/kill`));
  try {
    if (options.start) await startContainer(ctx, id);
    if (options.tty) steps.push(followWindowSize(ctx, `${path}/resize`));
    await output.catch((e: unknown) => {
      if (!detached) throw e;
    });
  } catch (e: unknown) {
    // The start error is what the user needs; the cut-off stream's is noise.
    output.catch(() => {});
    attached.output.destroy();
    wait.body.destroy();
    throw e;
  } finally {
    restoreAll(steps);
  }
  attached.output.destroy();
  if (detached) {
    wait.body.destroy();
    ctx.err('read escape sequence\n');
    return { detached: true };
  }
  const result = JSON.parse(await readText(wait.body)) as Api.ContainerWaitResponse;
  if (result.Error?.Message) throw new BerthError('internal', `error waiting for container: ${result.Error.Message}`);
  return { exitCode: result.StatusCode };
}

/** The process exit code for a session's end: a detach is a success. */
export function sessionExitCode(end: SessionEnd): number {
  return 'exitCode' in end ? end.exitCode : 0;
}
