/**
 * The few socket calls Node cannot make for conmon's attach socket: it is
 * AF_UNIX SOCK_SEQPACKET, which neither `net` nor libuv open. Bound through
 * koffi to glibc, loaded on first use.
 *
 * Every call is synchronous and never blocks: sends and receives pass
 * MSG_DONTWAIT, so the caller retries on EAGAIN from a timer instead of
 * holding a thread (koffi's `.async` would park a libuv pool thread per
 * attached container, and errno would be read on the wrong thread).
 */
import koffi from 'koffi';
import { constants } from 'node:os';
import { loadLibc, syscallError } from '../kernel/index.js';

const AF_UNIX = 1;
const SOCK_SEQPACKET = 5;
const SOCK_CLOEXEC = 0o2000000;
const MSG_DONTWAIT = 0x40;
/** A vanished conmon must give EPIPE, not a SIGPIPE. */
const MSG_NOSIGNAL = 0x4000;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
/** sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path. */
const SOCKADDR_UN_SIZE = 110;
const SUN_PATH_MAX = 107;

type SyscallFn = (...args: unknown[]) => number | bigint;

interface SocketCalls {
  socket: SyscallFn;
  connect: SyscallFn;
  send: SyscallFn;
  recv: SyscallFn;
  shutdown: SyscallFn;
  close: SyscallFn;
}

let calls: SocketCalls | undefined;

function lib(): SocketCalls {
  if (calls !== undefined) return calls;
  const l = loadLibc();
  calls = {
    socket: l.func('int socket(int domain, int type, int protocol)'),
    connect: l.func('int connect(int fd, const void *addr, uint32_t len)'),
    send: l.func('intptr_t send(int fd, const void *buf, size_t len, int flags)'),
    recv: l.func('intptr_t recv(int fd, void *buf, size_t len, int flags)'),
    shutdown: l.func('int shutdown(int fd, int how)'),
    close: l.func('int close(int fd)'),
  };
  return calls;
}

/** A connected SOCK_SEQPACKET socket to `path`; throws ENOENT/ECONNREFUSED like Node's `net`. */
export function connectSeqpacket(path: string): number {
  const bytes = Buffer.from(path);
  if (bytes.length > SUN_PATH_MAX) throw syscallError('connect', path, constants.errno.ENAMETOOLONG);
  const fd = Number(lib().socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (fd < 0) throw syscallError('socket', path);
  const addr = Buffer.alloc(SOCKADDR_UN_SIZE);
  addr.writeUInt16LE(AF_UNIX, 0);
  bytes.copy(addr, 2);
  if (Number(lib().connect(fd, addr, 2 + bytes.length + 1)) < 0) {
    const err = syscallError('connect', path);
    lib().close(fd);
    throw err;
  }
  return fd;
}

/** Bytes sent as one record, or 'again' when the socket buffer is full. */
export function sendRecord(fd: number, record: Buffer, path: string): number | 'again' {
  const n = Number(lib().send(fd, record, record.length, MSG_DONTWAIT | MSG_NOSIGNAL));
  if (n >= 0) return n;
  const errno = koffi.errno();
  if (errno === constants.errno.EAGAIN || errno === constants.errno.EINTR) return 'again';
  throw syscallError('send', path, errno);
}

/** One record into `buf`: its length, 0 at end of stream, 'again' when none is waiting. */
export function recvRecord(fd: number, buf: Buffer, path: string): number | 'again' {
  const n = Number(lib().recv(fd, buf, buf.length, MSG_DONTWAIT));
  if (n >= 0) return n;
  const errno = koffi.errno();
  if (errno === constants.errno.EAGAIN || errno === constants.errno.EINTR) return 'again';
  throw syscallError('recv', path, errno);
}

/** shutdown(2); ENOTCONN (the peer already went) is not an error here. */
export function shutdownSocket(fd: number, how: number): void {
  if (Number(lib().shutdown(fd, how)) < 0 && koffi.errno() !== constants.errno.ENOTCONN) {
    throw syscallError('shutdown', String(fd));
  }
}

export function closeSocket(fd: number): void {
  lib().close(fd);
}
