import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { lstat, mkdtemp, readdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isErrno } from './errors.js';
import { lgetxattr, llistxattr, lsetxattr, makedev, mknod, mount, umount2 } from './syscalls.js';

async function withTmp(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-syscalls-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('makedev', () => {
  const cases: Array<[number, number, bigint]> = [
    [0, 0, 0n],
    [1, 3, 0x103n],
    [8, 1, 0x801n],
    [0x1234, 0x56789, 0x1000_5672_3489n],
  ];
  for (const [major, minor, dev] of cases) {
    test(`encodes ${major}:${minor} the way glibc does`, () => {
      assert.equal(makedev(major, minor), dev);
    });
  }
});

describe('mknod', () => {
  test('creates a 0/0 character device (an overlayfs whiteout)', () =>
    withTmp(async (dir) => {
      const path = join(dir, 'wh');
      mknod(path, constants.S_IFCHR | 0o600, makedev(0, 0));
      const st = await lstat(path);
      assert.ok(st.isCharacterDevice());
      assert.equal(st.rdev, 0);
      assert.equal(st.mode & 0o7777, 0o600 & ~process.umask());
    }));

  test('creates a character device with the given major and minor', () =>
    withTmp(async (dir) => {
      const path = join(dir, 'null');
      mknod(path, constants.S_IFCHR | 0o666, makedev(1, 3));
      const st = await lstat(path);
      assert.equal(st.rdev, 0x103);
    }));

  test('round-trips a large major and minor through the kernel', () =>
    withTmp(async (dir) => {
      const path = join(dir, 'big');
      mknod(path, constants.S_IFBLK | 0o600, makedev(0xabc, 0x12345));
      const st = await lstat(path);
      assert.ok(st.isBlockDevice());
      assert.equal(BigInt(st.rdev), makedev(0xabc, 0x12345));
    }));

  test('fails like Node does, with the errno name as code and the path in the message', () =>
    withTmp((dir) => {
      const path = join(dir, 'missing', 'x');
      assert.throws(
        () => mknod(path, constants.S_IFIFO | 0o600),
        (e: unknown) =>
          isErrno(e, 'ENOENT') &&
          e instanceof Error &&
          e.message === `ENOENT: no such file or directory, mknod '${path}'` &&
          (e as NodeJS.ErrnoException).syscall === 'mknod',
      );
    }));
});

describe('extended attributes', () => {
  test('sets, gets and lists user. and trusted. attributes, including binary values', () =>
    withTmp(async (dir) => {
      const path = join(dir, 'f');
      await writeFile(path, 'x');
      const binary = Buffer.from([0x01, 0x00, 0x80, 0xff, 0xfe]);
      lsetxattr(path, 'user.berth', Buffer.from('hello'));
      lsetxattr(path, 'trusted.overlay.opaque', Buffer.from('y'));
      lsetxattr(path, 'user.binary', binary);
      assert.deepEqual(lgetxattr(path, 'user.berth'), Buffer.from('hello'));
      assert.deepEqual(lgetxattr(path, 'trusted.overlay.opaque'), Buffer.from('y'));
      assert.deepEqual(lgetxattr(path, 'user.binary'), binary);
      assert.deepEqual(llistxattr(path).sort(), ['trusted.overlay.opaque', 'user.berth', 'user.binary']);
    }));

  test('reads an empty value as an empty buffer and a missing attribute as undefined', () =>
    withTmp(async (dir) => {
      const path = join(dir, 'f');
      await writeFile(path, '');
      lsetxattr(path, 'user.empty', Buffer.alloc(0));
      assert.deepEqual(lgetxattr(path, 'user.empty'), Buffer.alloc(0));
      assert.equal(lgetxattr(path, 'user.absent'), undefined);
    }));

  test('acts on a symlink itself, not its target', () =>
    withTmp(async (dir) => {
      const target = join(dir, 'target');
      const link = join(dir, 'link');
      await writeFile(target, '');
      await symlink(target, link);
      lsetxattr(link, 'trusted.berth', Buffer.from('link'));
      assert.deepEqual(lgetxattr(link, 'trusted.berth'), Buffer.from('link'));
      assert.equal(lgetxattr(target, 'trusted.berth'), undefined);
      assert.deepEqual(llistxattr(target), []);
    }));

  test('reports a missing file as ENOENT', () =>
    withTmp((dir) => {
      assert.throws(
        () => lgetxattr(join(dir, 'nope'), 'user.x'),
        (e: unknown) => isErrno(e, 'ENOENT'),
      );
      assert.throws(
        () => llistxattr(join(dir, 'nope')),
        (e: unknown) => isErrno(e, 'ENOENT'),
      );
    }));
});

describe('mount and umount2', () => {
  const skip = process.getuid?.() === 0 ? false : 'mounting needs root';

  test('mounts a tmpfs and unmounts it', { skip }, () =>
    withTmp(async (dir) => {
      mount('tmpfs', dir, 'tmpfs', 0, 'size=1m,mode=0751');
      try {
        await writeFile(join(dir, 'in-tmpfs'), 'x');
        assert.equal((await lstat(dir)).mode & 0o777, 0o751, 'the mount options reached the kernel');
      } finally {
        umount2(dir);
      }
      assert.deepEqual(await readdir(dir), [], 'the file lived in the tmpfs');
    }),
  );

  test('reports errors with the target in the message', { skip }, () =>
    withTmp((dir) => {
      assert.throws(
        () => mount('tmpfs', join(dir, 'absent'), 'tmpfs', 0),
        (e: unknown) => isErrno(e, 'ENOENT') && e instanceof Error && e.message.includes(join(dir, 'absent')),
      );
      assert.throws(
        () => umount2(dir),
        (e: unknown) => isErrno(e, 'EINVAL'),
      );
    }),
  );
});
