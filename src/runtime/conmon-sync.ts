/**
 * conmon's sync pipe (the fd named by `_OCI_SYNCPIPE`). With `--api-version 1`
 * conmon writes one JSON line per event: `{"data": <pid>}` once `runc create`
 * has succeeded, or `{"data": -1, "message": "<runc's stderr>"}` when it failed.
 * (For exec sessions a second line carries the exit code; berth's create path
 * reads only the first.)
 */
import type { Readable } from 'node:stream';
import { runcErrorMessage } from './runc-error.js';

export type SyncMessage = { ok: true; pid: number } | { ok: false; message: string };

/** Interprets one line from the sync pipe; undefined when it is not conmon's shape. */
export function parseSyncMessage(line: string): SyncMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { data, message } = value as { data?: unknown; message?: unknown };
  if (typeof data !== 'number') return undefined;
  if (data > 0 && message === undefined) return { ok: true, pid: data };
  const text = typeof message === 'string' ? runcErrorMessage(message) : '';
  return { ok: false, message: text || `conmon reported status ${data}` };
}

/**
 * The first line conmon writes to the sync pipe, or undefined when the pipe
 * closes without one (conmon died before it could report).
 */
export async function readSyncLine(pipe: Readable): Promise<string | undefined> {
  let text = '';
  for await (const chunk of pipe) {
    text += String(chunk);
    const nl = text.indexOf('\n');
    if (nl >= 0) return text.slice(0, nl);
  }
  return text.trim() === '' ? undefined : text;
}
