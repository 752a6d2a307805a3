/**
 * Starting a created container. runc's init process waits, after creating
 * the container, in open(2) of `<runc root>/<id>/exec.fifo` for a reader;
 * once one opens it, init writes one byte and execs the user process. `runc
 * start` is nothing more than that reader, plus a Go runtime's start-up
 * (about 30 ms here, a tenth of a whole `docker run`). berth is the reader
 * itself, doing what `runc start` does: read the byte, then remove the fifo,
 * which is how runc's `state` tells "running" from "created".
 *
 * When there is no fifo (a container not in the created state, or a runtime
 * that works differently) `runc start` runs instead and reports as it would.
 */
import { constants, open, unlink } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BerthError, errorMessage, isErrno } from '../kernel/index.js';
import { isAlive } from './exit.js';
import { runRunc, type RuncOptions } from './runc.js';

const openFd = promisify(open);
const unlinkFile = promisify(unlink);

/** How often the wait for init checks that init is still there. */
const INIT_CHECK_MS = 50;

/** Runs the user process of the created container whose init is `pid`. */
export async function startContainer(id: string, pid: number, options: RuncOptions): Promise<void> {
  const fifo = join(options.runcRoot, id, 'exec.fifo');
  let fd: number;
  try {
    // Non-blocking (libuv adds O_CLOEXEC): the open returns at once (a blocking one would hold a
    // libuv pool thread until init opens its end); the read then waits in
    // epoll, which reports nothing until init has written.
    fd = await openFd(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e: unknown) {
    if (!isErrno(e, 'ENOENT')) throw startFailure(e);
    await runRunc(['start', id], options);
    return;
  }
  const got = await readInitByte(fd, pid);
  await unlinkFile(fifo).catch(() => undefined);
  if (!got) throw new BerthError('internal', `runc start failed: container init ${pid} exited before it was started`);
}

/** True once init has written its byte; false if init is gone without writing. */
function readInitByte(fd: number, pid: number): Promise<boolean> {
  const fifo = new Socket({ fd, readable: true, writable: false });
  return new Promise<boolean>((resolve) => {
    const done = (got: boolean): void => {
      clearInterval(check);
      fifo.destroy();
      resolve(got);
    };
    // Init writes, then execs; the exec closes its end (O_CLOEXEC) and the read sees the end.
    fifo.once('data', () => done(true));
    fifo.once('end', () => done(false));
    fifo.once('error', () => done(false));
    // Init that dies before opening its end never wakes the read.
    const check = setInterval(() => {
      if (!isAlive(pid)) done(false);
    }, INIT_CHECK_MS);
  });
}

function startFailure(e: unknown): BerthError {
  return new BerthError('internal', `runc start failed: ${errorMessage(e)}`, { cause: e });
}
