import { closeSync, openSync } from 'node:fs';
import koffi from 'koffi';
import { loadLibc, mount, MountFlags, syscallError } from '../kernel/index.js';

/** <sched.h> */
const CLONE_NEWNET = 0x40000000;
/** <linux/sockios.h>, <net/if.h> */
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const IFF_UP = 0x1;
const AF_INET = 2;
const SOCK_DGRAM = 2;
/** struct ifreq: a 16-byte name, then a union whose first member is the short flags. */
const IFREQ_SIZE = 40;
const IFNAMSIZ = 16;

type Fn = (...args: unknown[]) => number;

interface NetnsCalls {
  unshare: Fn;
  setns: Fn;
  socket: Fn;
  ioctl: Fn;
  close: Fn;
}

let calls: NetnsCalls | undefined;

function libc(): NetnsCalls {
  if (calls) return calls;
  const l = loadLibc();
  calls = {
    unshare: l.func('int unshare(int flags)'),
    setns: l.func('int setns(int fd, int nstype)'),
    socket: l.func('int socket(int domain, int type, int protocol)'),
    ioctl: l.func('int ioctl(int fd, unsigned long request, ...)'),
    close: l.func('int close(int fd)'),
  };
  return calls;
}

function check(rc: number, syscall: string): void {
  if (rc < 0) throw syscallError(syscall, undefined, koffi.errno());
}

/** Sets `lo` up in the calling thread's network namespace (SIOCGIFFLAGS, then SIOCSIFFLAGS with IFF_UP). */
function loopbackUp(): void {
  const c = libc();
  const fd = c.socket(AF_INET, SOCK_DGRAM, 0);
  check(fd, 'socket');
  try {
    const ifreq = Buffer.alloc(IFREQ_SIZE);
    ifreq.write('lo', 0, IFNAMSIZ - 1);
    check(c.ioctl(fd, SIOCGIFFLAGS, 'void *', ifreq), 'ioctl');
    ifreq.writeUInt16LE(ifreq.readUInt16LE(IFNAMSIZ) | IFF_UP, IFNAMSIZ);
    check(c.ioctl(fd, SIOCSIFFLAGS, 'void *', ifreq), 'ioctl');
  } finally {
    c.close(fd);
  }
}

/**
 * Makes a new network namespace with its loopback up and binds it at
 * `path` (an existing empty file), without a child process: the main
 * thread unshares into the new namespace, binds its own nsfs file, sets
 * `lo` up and returns to the original namespace — all synchronously, so no
 * other JavaScript runs (and opens sockets) meanwhile. Network namespaces
 * are per thread, so libuv's threads are never affected.
 */
export function createNetnsInProcess(path: string): void {
  const c = libc();
  const original = openSync('/proc/thread-self/ns/net', 'r');
  try {
    check(c.unshare(CLONE_NEWNET), 'unshare');
    try {
      mount('/proc/thread-self/ns/net', path, null, MountFlags.BIND);
      loopbackUp();
    } finally {
      // Failing to return would leave berthd's main thread in the container's network.
      if (c.setns(original, CLONE_NEWNET) !== 0) {
        process.stderr.write(`berthd: setns back to the host network failed (errno ${koffi.errno()}); exiting\n`);
        process.exit(70);
      }
    }
  } finally {
    closeSync(original);
  }
}
