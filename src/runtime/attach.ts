/**
 * A container's stdin through conmon's attach socket (conmon.ts).
 *
 * conmon treats every record a client sends as raw stdin bytes. When the
 * client shuts down its writing side, conmon closes the container's stdin —
 * unless it runs with `--leave-stdin-open` (Docker's StdinOnce false), so
 * `docker run -i` sees EOF exactly when its own input ends.
 *
 * conmon also copies the container's output to each attached client. berth
 * serves output from the log instead (one path for logs and attach, and a
 * late reader misses nothing), so those records are read and dropped; left
 * unread they would fill the socket buffer and stall conmon's writes.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  closeSocket,
  connectSeqpacket,
  recvRecord,
  sendRecord,
  shutdownSocket,
  SHUT_RDWR,
  SHUT_WR,
} from './attach-socket.js';

/** The socket's name inside the `<socketDir>/<id>` link conmon makes to the bundle. */
const ATTACH_SOCKET = 'attach';
/** conmon reads at most 32 KiB per record and would cut a larger one; stay well under. */
const MAX_RECORD = 8192;
/** How long to wait before retrying a full socket or looking for more output to drop. */
const RETRY_MS = 10;
const IDLE_DRAIN_MS = 50;

export interface AttachedStdin {
  /** Bytes written here reach the container's stdin; ending it is `closeStdin()`. */
  readonly stdin: Writable;
  /** Tells conmon no more input comes (shutdown SHUT_WR); a StdinOnce container then sees EOF. */
  closeStdin(): void;
  /** Disconnects; conmon treats it like the client going away. Idempotent. */
  close(): void;
}

/** `<socketDir>/<id>/attach`: conmon's short path to the bundle's attach socket. */
export function attachSocketPath(socketDir: string, id: string): string {
  return join(socketDir, id, ATTACH_SOCKET);
}

/** Connects to a running container's attach socket. Throws ENOENT/ECONNREFUSED when conmon is gone. */
export function openAttachedStdin(path: string): AttachedStdin {
  const fd = connectSeqpacket(path);
  let closed = false;
  let inputClosed = false;
  const drain = startDraining(fd, path, () => closed);
  const closeStdin = () => {
    if (closed || inputClosed) return;
    inputClosed = true;
    shutdownSocket(fd, SHUT_WR);
  };
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sendAll(fd, chunk, path, () => closed).then(() => callback(), callback);
    },
    final(callback) {
      try {
        closeStdin();
        callback();
      } catch (e: unknown) {
        callback(e as Error);
      }
    },
  });
  return {
    stdin,
    closeStdin,
    close() {
      if (closed) return;
      closed = true;
      drain.stop();
      shutdownSocket(fd, SHUT_RDWR);
      closeSocket(fd);
      if (!stdin.writableFinished) stdin.destroy();
    },
  };
}

/** Sends `data` as records of at most MAX_RECORD bytes, waiting while the socket is full. */
async function sendAll(fd: number, data: Buffer, path: string, isClosed: () => boolean): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    if (isClosed()) throw new Error('the attach socket is closed');
    const sent = sendRecord(fd, data.subarray(offset, offset + MAX_RECORD), path);
    if (sent === 'again') await sleep(RETRY_MS);
    else offset += sent;
  }
}

/** Reads and drops conmon's output records until the socket closes; busy sockets are read again at once. */
function startDraining(fd: number, path: string, isClosed: () => boolean): { stop(): void } {
  const buf = Buffer.alloc(32 * 1024);
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (isClosed()) return;
    let got: number | 'again' = 'again';
    try {
      got = recvRecord(fd, buf, path);
    } catch {
      return; // conmon went away; the sender sees the error
    }
    if (got === 0) return;
    timer = setTimeout(tick, got === 'again' ? IDLE_DRAIN_MS : 0);
    timer.unref();
  };
  tick();
  return { stop: () => clearTimeout(timer) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
