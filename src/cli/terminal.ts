/**
 * The client side of an attached session, as the docker CLI does it: the
 * user's stdin goes to the container (its end half-closes the connection),
 * a local terminal is put in raw mode and its size follows the window, and
 * without a terminal the signals the CLI receives are passed to the container.
 */
import type { Writable } from 'node:stream';
import { DetachKeyWatcher, parseDetachKeys } from '../kernel/index.js';
import type { CliContext, InputStream } from './context.js';

/** Undoes what a setup step did; safe to call twice. */
export type Restore = () => void;

interface RawCapable extends InputStream {
  setRawMode(mode: boolean): unknown;
}

function canBeRaw(stdin: InputStream): stdin is RawCapable {
  return stdin.isTTY === true && typeof (stdin as Partial<RawCapable>).setRawMode === 'function';
}

/**
 * Copies stdin to the session until either ends; stdin's end half-closes the
 * session's input. With `detach`, the detach keys stop the copy and call
 * `onDetach` instead of reaching the container.
 */
export function forwardInput(
  ctx: CliContext,
  input: Writable,
  detach?: { keys: string; onDetach: () => void },
): Restore {
  const { stdin } = ctx.io;
  let sink: Writable = input;
  if (detach !== undefined) {
    const watcher = new DetachKeyWatcher(parseDetachKeys(detach.keys));
    watcher.on('data', (chunk: Buffer) => input.write(chunk)).once('end', () => input.end());
    watcher.once('detach', detach.onDetach);
    sink = watcher;
  }
  const onData = (chunk: Buffer) => sink.write(chunk);
  const onEnd = () => sink.end();
  stdin.on('data', onData).once('end', onEnd);
  // A session that ended first must not fail on a late keystroke.
  input.on('error', () => {});
  return () => {
    stdin.off('data', onData).off('end', onEnd);
    stdin.pause();
  };
}

/** Raw mode for a local terminal, so keys (ctrl-c, the detach keys) reach the container as bytes. */
export function rawTerminal(ctx: CliContext): Restore {
  const { stdin } = ctx.io;
  if (!canBeRaw(stdin)) return () => {};
  stdin.setRawMode(true);
  return () => void stdin.setRawMode(false);
}

/** Sends the local window size to `resizePath` now and whenever it changes. */
export function followWindowSize(ctx: CliContext, resizePath: string): Restore {
  const out = ctx.io.stdout as Partial<NodeJS.WriteStream> & Writable;
  if (out.isTTY !== true) return () => {};
  const send = () => {
    const { rows, columns } = out;
    if (!rows || !columns) return;
    ctx
      .client()
      .json<unknown>('POST', resizePath, { query: { h: rows, w: columns } })
      .catch(() => {});
  };
  send();
  out.on('resize', send);
  return () => void out.off('resize', send);
}

/** The signals docker's --sig-proxy passes on (SIGKILL and SIGSTOP cannot be caught). */
const PROXIED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Passes the signals this process gets to the container instead of dying of them. */
export function proxySignals(ctx: CliContext, killPath: string): Restore {
  const handlers = PROXIED_SIGNALS.map((signal) => {
    const handler = () =>
      void ctx
        .client()
        .json<unknown>('POST', killPath, { query: { signal } })
        .catch(() => {});
    process.on(signal, handler);
    return () => void process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

/** Runs every restore step, newest first. */
export function restoreAll(steps: Restore[]): void {
  for (const step of steps.reverse()) step();
}
