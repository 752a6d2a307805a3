/** Flag help texts and small helpers the command adapters share. */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { BerthError, errorMessage, isErrno, notFound } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import type { ApiResponse } from '../client.js';
import { readJSONValues } from '../json-stream.js';
import { displayJSONMessages } from '../progress.js';

export const FORMAT_HELP =
  "Format output using a custom template: 'table' (default), 'table TEMPLATE', 'json', or a Go 'TEMPLATE'";

export const INSPECT_FORMAT_HELP = "Format output using a custom template: 'json' or a Go 'TEMPLATE'";

/** Accumulates a repeatable flag (`-f a=1 -f b=2`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Shows a JSON-lines progress answer like the docker CLI (bars on a
 * terminal, status lines otherwise); other answers are copied through.
 * Rejects with StreamError when the daemon reports an error mid-stream.
 */
export async function showProgress(ctx: CliContext, res: ApiResponse, onAux?: (aux: unknown) => void): Promise<void> {
  const { stdout } = ctx.io;
  if (!String(res.headers['content-type'] ?? '').includes('json')) {
    for await (const chunk of res.body) ctx.out(String(chunk));
    return;
  }
  await displayJSONMessages(readJSONValues(res.body), ctx.out, {
    isTTY: stdout.isTTY === true,
    ...(stdout.columns !== undefined && { width: stdout.columns }),
    ...(onAux && { onAux }),
  });
}

/** Several per-argument failures as one error, one line each (docker's errors.Join). */
export function joinErrors(errors: readonly Error[]): Error {
  if (errors.length === 1) return errors[0] as Error;
  const first = errors[0];
  return new BerthError(first instanceof BerthError ? first.kind : 'internal', errors.map((e) => e.message).join('\n'));
}

/** Opens an input file before any request is made, so a bad path is reported as such. */
export async function openInput(file: string): Promise<Readable> {
  try {
    const handle = await open(file, 'r');
    return handle.createReadStream();
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) throw notFound(`open ${file}: no such file or directory`, e);
    throw new BerthError('invalid-argument', `open ${file}: ${errorMessage(e)}`, { cause: e });
  }
}
