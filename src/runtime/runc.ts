/**
 * The runc command line, for the operations that do not need a monitor:
 * start, kill, delete, state, pause, resume. `create` goes through conmon
 * (conmon.ts) because conmon must be the parent that holds the container's
 * stdio and reaps it.
 *
 * Every call names the runc root explicitly (`--root`), so berth's containers
 * never mix with Podman's or Docker's on the same host.
 */
import { BerthError, errorMessage, execFast, notFound, type ExecFastResult } from '../kernel/index.js';
import { isRuncNotFound, runcErrorMessage } from './runc-error.js';

/** Debian's runc. */
export const DEFAULT_RUNC_PATH = '/usr/sbin/runc';

export interface RuncOptions {
  /** runc's state directory (`runc --root`), one per berth exec root. */
  runcRoot: string;
  runcPath?: string;
  signal?: AbortSignal;
}

/** runc's status words. `paused` is reported for a frozen cgroup. */
export type RuncStatus = 'creating' | 'created' | 'running' | 'stopped' | 'paused';

/** The part of `runc state` berth uses. */
export interface RuncState {
  id: string;
  /** The container's init process on the host; 0 once it has stopped. */
  pid: number;
  status: RuncStatus;
  bundle: string;
  created: string;
}

/** Runs runc with berth's global flags and returns its stdout; failures carry runc's own message. */
export async function runRunc(args: readonly string[], options: RuncOptions): Promise<string> {
  const argv = ['--root', options.runcRoot, '--log-format=json', ...args];
  const command = args[0] ?? '';
  let result: ExecFastResult;
  try {
    result = await execFast(
      options.runcPath ?? DEFAULT_RUNC_PATH,
      argv,
      options.signal ? { signal: options.signal } : {},
    );
  } catch (e: unknown) {
    if (e instanceof Error && e.name === 'AbortError') {
      throw new BerthError('canceled', `runc ${command} canceled`, { cause: e });
    }
    throw new BerthError('internal', `runc ${command} failed: ${errorMessage(e)}`, { cause: e });
  }
  if (result.code === 0) return result.stdout;
  throw runcFailure(args, result);
}

function runcFailure(args: readonly string[], result: ExecFastResult): BerthError {
  const how = result.signal ? `killed by ${result.signal}` : `exit status ${result.code ?? ''}`;
  const message = runcErrorMessage(result.stderr) || how;
  const id = args[args.length - 1] ?? '';
  if (isRuncNotFound(message)) return notFound(`No such container: ${id}`);
  return new BerthError('internal', `runc ${args[0] ?? ''} failed: ${message}`);
}

export interface KillOptions extends RuncOptions {
  /** Signal every process in the container, not just init (needed when init ignores the signal's default). */
  all?: boolean;
}

/** Sends a signal ("KILL", "TERM", "SIGHUP", or a number) to the container's init (or all its processes). */
export async function killContainer(id: string, signal: string | number, options: KillOptions): Promise<void> {
  const args = ['kill'];
  if (options.all === true) args.push('--all');
  await runRunc([...args, id, String(signal)], options);
}

export interface DeleteOptions extends RuncOptions {
  /** Kill a running container first (SIGKILL), as `runc delete --force` does. */
  force?: boolean;
}

/** Removes runc's record of the container; a container runc does not know is not an error. */
export async function deleteContainer(id: string, options: DeleteOptions): Promise<void> {
  const args = options.force === true ? ['delete', '--force', id] : ['delete', id];
  try {
    await runRunc(args, options);
  } catch (e: unknown) {
    if (e instanceof BerthError && e.kind === 'not-found') return;
    throw e;
  }
}

/** The IDs of every container runc has a record of under the root. */
export async function listContainers(options: RuncOptions): Promise<string[]> {
  const out = await runRunc(['list', '--quiet'], options);
  return out.split('\n').filter((id) => id !== '');
}

/** runc's view of the container, or undefined when runc does not know it. */
export async function stateOf(id: string, options: RuncOptions): Promise<RuncState | undefined> {
  let out: string;
  try {
    out = await runRunc(['state', id], options);
  } catch (e: unknown) {
    if (e instanceof BerthError && e.kind === 'not-found') return undefined;
    throw e;
  }
  return parseRuncState(out);
}

const STATUSES: readonly string[] = ['creating', 'created', 'running', 'stopped', 'paused'];

function parseRuncState(json: string): RuncState {
  const v = JSON.parse(json) as Record<string, unknown>;
  const { id, pid, status, bundle, created } = v;
  if (typeof id !== 'string' || typeof pid !== 'number' || typeof status !== 'string' || !STATUSES.includes(status))
    throw new BerthError('internal', `runc state returned an unexpected document: ${json.slice(0, 200)}`);
  return {
    id,
    pid,
    status: status as RuncStatus,
    bundle: typeof bundle === 'string' ? bundle : '',
    created: typeof created === 'string' ? created : '',
  };
}

/** Freezes every process of the container (`docker pause`). */
export async function pauseContainer(id: string, options: RuncOptions): Promise<void> {
  await runRunc(['pause', id], options);
}

/** Thaws a paused container (`docker unpause`). */
export async function resumeContainer(id: string, options: RuncOptions): Promise<void> {
  await runRunc(['resume', id], options);
}
