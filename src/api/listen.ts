import { chmod, link, lstat, mkdir, mkdtemp, rm, stat, unlink } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { BerthError, conflict, invalidArgument, isErrno } from '../kernel/index.js';
import { createApiServer, type ApiServerOptions } from './server.js';

export interface StartApiServerOptions extends ApiServerOptions {
  /** `unix:///run/berth/berth.sock` (DESIGN.md §2's `--host`). */
  host: string;
}

export interface RunningApiServer {
  readonly socketPath: string;
  /** Closes the server (see `ApiServer.close`) and removes the socket file if it is still ours. */
  close(): Promise<void>;
}

/** Who may connect: root and the socket's group; never everyone. */
const SOCKET_MODE = 0o660;
/** `sun_path` holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/** Parses a `--host` value; only unix sockets are served for now. */
export function parseHost(host: string): { kind: 'unix'; path: string } {
  if (host.startsWith('unix://')) {
    const path = host.slice('unix://'.length);
    if (!path.startsWith('/')) throw invalidArgument(`invalid host ${host}: the socket path must be absolute`);
    return { kind: 'unix', path };
  }
  if (host.startsWith('tcp://')) throw invalidArgument('tcp hosts need TLS, not supported yet');
  throw invalidArgument(`invalid host ${host}: expected unix:///path/to/socket`);
}

/**
 * Serves the API on a unix socket. A socket file left by a crashed daemon is
 * replaced; one that a live process answers on is not (starting a second
 * daemon on the same socket is refused). The socket appears with mode 0660
 * and never with a wider one: it is bound in a private directory, chmodded,
 * then hard-linked into place (which also fails rather than replace a
 * socket another daemon created meanwhile).
 */
export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const { path } = parseHost(options.host);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw invalidArgument(`unix socket path is longer than ${MAX_SOCKET_PATH} bytes: ${path}`);
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  await removeStaleSocket(path);

  const api = createApiServer(options);
  const privateDir = await mkdtemp(join(dirname(path), '.berth-sock-'));
  try {
    const boundPath = join(privateDir, 'sock');
    await listen(api.server, boundPath);
    await chmod(boundPath, SOCKET_MODE);
    await link(boundPath, path).catch((e: unknown) => {
      throw isErrno(e, 'EEXIST') ? conflict(`another daemon created ${path} while berthd was starting`, e) : e;
    });
  } catch (e) {
    await api.close();
    throw e;
  } finally {
    await rm(privateDir, { recursive: true, force: true });
  }
  const { ino } = await stat(path);
  return {
    socketPath: path,
    async close() {
      await api.close();
      await unlinkIfSame(path, ino);
    },
  };
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return;
    throw e;
  }
  if (!isSocket) throw conflict(`${path} exists and is not a socket; refusing to replace it`);
  if (await socketAnswers(path)) throw conflict(`another daemon is already listening on ${path}`);
  await unlink(path).catch((e: unknown) => {
    if (!isErrno(e, 'ENOENT')) throw e;
  });
}

/** True when something accepts connections on the socket; false for a stale file. */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (e) => {
      if (isErrno(e, 'ECONNREFUSED') || isErrno(e, 'ENOENT')) resolve(false);
      else reject(new BerthError('internal', `cannot probe ${path}: ${e.message}`, { cause: e }));
    });
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Removes the socket only if it is still the one we bound, not a successor's. */
async function unlinkIfSame(path: string, ino: number): Promise<void> {
  try {
    if ((await lstat(path)).ino === ino) await unlink(path);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
  }
}
