/**
 * The pseudo-terminal berthd puts between itself and a `runc exec` with a
 * TTY (`docker exec -t`).
 *
 * Why not `--console-socket`: runc only sends the container's pty master
 * over that socket with `--detach`, and a detached runc exits at once, so
 * nobody could collect the process's exit status. Without `--detach` runc
 * stays the process's parent, creates the container's pty itself and copies
 * it to and from its own stdio, which must then be a terminal (it puts that
 * one in raw mode, so bytes pass through unchanged). This module opens that
 * terminal: a pty pair whose slave end becomes runc's stdin, stdout and
 * stderr, and whose master end berthd reads and writes. A window size set on
 * it reaches the container's pty when runc gets SIGWINCH.
 *
 * Bound through koffi to glibc's ioctl, loaded on first use; every call is
 * one short non-blocking system call.
 */
import { closeSync, constants, openSync } from 'node:fs';
import tty from 'node:tty';
import type { Duplex } from 'node:stream';
import { loadLibc, syscallError } from '../kernel/index.js';
import type { TerminalSize } from './attach-resize.js';

/** ioctl requests from <asm-generic/ioctls.h> (x86_64, arm64). */
const TIOCSWINSZ = 0x5414;
const TIOCSPTLCK = 0x40045431;
/** Opens the slave end from the master without a path under /dev/pts (Linux 4.13+). */
const TIOCGPTPEER = 0x5441;
/** O_CLOEXEC is not among Node's fs constants. */
const O_CLOEXEC = 0o2000000;

/** The multiplexer of Unix 98 pseudo-terminals. */
const PTMX = '/dev/ptmx';

type VariadicFn = (...args: unknown[]) => number;

let ioctlFn: VariadicFn | undefined;

function ioctl(fd: number, request: number, ...arg: unknown[]): number {
  ioctlFn ??= loadLibc().func('int ioctl(int fd, unsigned long request, ...)') as VariadicFn;
  const n = ioctlFn(fd, request, ...arg);
  if (n < 0) throw syscallError('ioctl');
  return n;
}

/** A pty pair: `slave` is for the child to inherit (close it once spawned), `master` stays with berthd. */
export interface PtyPair {
  master: number;
  slave: number;
}

/** Opens a new pty pair; both fds are close-on-exec (spawning dup2s the slave into the child). */
export function openPtyPair(): PtyPair {
  const master = openSync(PTMX, constants.O_RDWR | constants.O_NOCTTY);
  try {
    ioctl(master, TIOCSPTLCK, 'int *', [0]);
    const slave = ioctl(master, TIOCGPTPEER, 'int', constants.O_RDWR | constants.O_NOCTTY | O_CLOEXEC);
    return { master, slave };
  } catch (e: unknown) {
    closeSync(master);
    throw e;
  }
}

/** Sets the terminal's window size (struct winsize: rows, cols, then two unused pixel sizes). */
export function setWindowSize(fd: number, size: TerminalSize): void {
  const winsize = Buffer.alloc(8);
  winsize.writeUInt16LE(clamp(size.height), 0);
  winsize.writeUInt16LE(clamp(size.width), 2);
  ioctl(fd, TIOCSWINSZ, 'void *', winsize);
}

function clamp(n: number): number {
  return Math.max(0, Math.min(0xffff, Math.trunc(n)));
}

/**
 * The master end as one duplex stream that owns the fd (destroying it
 * closes the fd). libuv reads it without blocking the loop. Once every
 * slave is closed a read fails with EIO: that is the normal end of the
 * output, after which the stream is destroyed (it closes, it does not end).
 */
export function masterStream(fd: number): Duplex {
  const stream = new tty.ReadStream(fd);
  // EIO is the end; anything else also ends the terminal, and must not crash berthd.
  stream.on('error', () => undefined);
  return stream;
}
