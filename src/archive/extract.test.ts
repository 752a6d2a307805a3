import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isBerthError, lgetxattr, llistxattr } from '../kernel/index.js';
import { extractLayer } from './extract.js';
import { END_OF_ARCHIVE, packTar, paxRecords, rawEntry, streamOf, type TarEntry } from './testdata/tar-builder.js';

/** A sandbox: `box/root` is extracted into, `box/outside/sentinel` must never change. */
interface Sandbox {
  tmp: string;
  root: string;
  outside: string;
  sentinel: string;
}

async function withSandbox(fn: (s: Sandbox) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'berth-extract-'));
  const root = join(tmp, 'box', 'root');
  const outside = join(tmp, 'box', 'outside');
  await mkdir(root, { recursive: true });
  await mkdir(outside);
  const sentinel = join(outside, 'sentinel');
  await writeFile(sentinel, 'untouched', { mode: 0o644 });
  try {
    await fn({ tmp, root, outside, sentinel });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Every path under `dir` with its type, mode, owner and size, skipping `skip`. */
async function snapshot(dir: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if (path === skip || path.startsWith(skip + '/')) continue;
    const st = await lstat(path);
    out.push(`${name} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size} ${st.mtimeMs}`);
  }
  return out.sort();
}

const T0 = 1_600_000_000;
const dir = (name: string, extra: Partial<TarEntry['header']> = {}): TarEntry => ({
  header: { name, type: 'directory', mode: 0o755, mtime: new Date(T0 * 1000), ...extra },
});
const file = (name: string, data: string, extra: Partial<TarEntry['header']> = {}): TarEntry => ({
  header: { name, type: 'file', mode: 0o644, mtime: new Date(T0 * 1000), ...extra },
  data,
});
const symlink = (name: string, linkname: string): TarEntry => ({ header: { name, type: 'symlink', linkname } });
const hardlink = (name: string, linkname: string): TarEntry => ({ header: { name, type: 'link', linkname } });

async function extract(root: string, entries: TarEntry[]) {
  return extractLayer(streamOf(await packTar(entries)), root);
}

function assertRefused(name: string) {
  return (e: unknown) => {
    assert.ok(isBerthError(e, 'invalid-argument'), `expected invalid-argument, got ${String(e)}`);
    assert.ok(e.message.includes(JSON.stringify(name)), `message should name ${name}: ${e.message}`);
    return true;
  };
}

describe('extractLayer: a normal tree', () => {
  test('keeps files, links, devices, owners, modes, times and xattrs', () =>
    withSandbox(async ({ root }) => {
      const cap = Buffer.from([1, 0, 0, 2, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // cap_setuid+ep
      const longName = `opt/${'deep/'.repeat(25)}file.txt`;
      const raw = Buffer.concat([
        rawEntry(
          { name: 'PaxHeader', typeflag: 'x' },
          paxRecords([
            ['SCHILY.xattr.security.capability', cap],
            ['mtime', `${T0 + 5}.25`],
          ]),
        ),
        rawEntry({ name: 'bin/ping', typeflag: '0', mode: 0o755 }, Buffer.from('ping')),
        rawEntry({ name: '././@LongLink', typeflag: 'L', gnu: true }, Buffer.from(longName + '\0')),
        rawEntry({ name: longName.slice(0, 99), typeflag: '0', gnu: true }, Buffer.from('long')),
      ]);
      const packed = await packTar([
        dir('./', { mode: 0o750, mtime: new Date((T0 + 1) * 1000) }),
        dir('./bin/'),
        file('./bin/tool', 'tool data', { mode: 0o4755, uid: 1000, gid: 1001, mtime: new Date((T0 + 2) * 1000) }),
        hardlink('bin/tool-hard', './bin/tool'),
        symlink('bin/sh', '/bin/busybox'),
        dir('dev/'),
        { header: { name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 } },
        { header: { name: 'dev/sda', type: 'block-device', mode: 0o660, devmajor: 8, devminor: 0, gid: 6 } },
        { header: { name: 'run/initctl', type: 'fifo', mode: 0o600 } },
        dir('etc/', { mtime: new Date((T0 + 3) * 1000), uid: 2, gid: 3 }),
        file('etc/hostname', 'box\n'),
        dir('tmp/', { mode: 0o1777 }),
        dir('srv/', { mode: 0o2775 }),
        file('srv/attrs', '', {
          pax: {
            'SCHILY.xattr.user.note': 'hello',
            'SCHILY.xattr.trusted.overlay.opaque': 'y',
            'SCHILY.xattr.com.apple.provenance': 'mac',
          },
        }),
        dir('./usr//share/./doc/'),
        file(`var/${'p'.repeat(120)}`, 'pax'),
      ]);
      const stats = await extractLayer(streamOf(raw, packed), root);

      const at = (p: string) => join(root, p);
      assert.equal(await readFile(at('bin/ping'), 'utf8'), 'ping');
      assert.deepEqual(lgetxattr(at('bin/ping'), 'security.capability'), cap);
      assert.equal((await stat(at('bin/ping'))).mtimeMs, (T0 + 5.25) * 1000);
      assert.equal(await readFile(at(longName), 'utf8'), 'long');

      const tool = await stat(at('bin/tool'));
      assert.equal(tool.mode & 0o7777, 0o4755);
      assert.deepEqual([tool.uid, tool.gid], [1000, 1001]);
      assert.equal(tool.mtimeMs, (T0 + 2) * 1000);
      assert.equal((await stat(at('bin/tool-hard'))).ino, tool.ino);
      assert.equal(await readlink(at('bin/sh')), '/bin/busybox');

      const nul = await lstat(at('dev/null'));
      assert.ok(nul.isCharacterDevice());
      assert.deepEqual([nul.rdev, nul.mode & 0o7777], [0x103, 0o666]);
      const sda = await lstat(at('dev/sda'));
      assert.ok(sda.isBlockDevice());
      assert.deepEqual([sda.rdev, sda.gid], [0x800, 6]);
      assert.ok((await lstat(at('run/initctl'))).isFIFO());
      assert.equal((await stat(at('run'))).mode & 0o7777, 0o755);

      const etc = await stat(at('etc'));
      assert.equal(etc.mtimeMs, (T0 + 3) * 1000, 'directory mtime survives creating its children');
      assert.deepEqual([etc.uid, etc.gid], [2, 3]);
      const top = await stat(root);
      assert.deepEqual([top.mode & 0o7777, top.mtimeMs], [0o750, (T0 + 1) * 1000]);
      assert.equal((await stat(at('tmp'))).mode & 0o7777, 0o1777);
      assert.equal((await stat(at('srv'))).mode & 0o7777, 0o2775);
      assert.deepEqual(
        llistxattr(at('srv/attrs')),
        ['user.note'],
        'trusted.overlay.* and non-Linux xattrs are dropped',
      );
      assert.ok((await stat(at('usr/share/doc'))).isDirectory());
      assert.equal(await readFile(at(`var/${'p'.repeat(120)}`), 'utf8'), 'pax');

      assert.equal(stats.files, 6);
      assert.equal(stats.bytes, 'ping'.length + 'long'.length + 'tool data'.length + 'box\n'.length + 'pax'.length);
    }));

  test('streams a large file to disk intact', () =>
    withSandbox(async ({ root }) => {
      const big = Buffer.alloc(8 << 20);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
      await extract(root, [{ header: { name: 'big.bin', type: 'file' }, data: big }]);
      assert.ok((await readFile(join(root, 'big.bin'))).equals(big));
    }));

  test('replaces an entry of another type, and keeps a re-declared directory', () =>
    withSandbox(async ({ root }) => {
      await extract(root, [
        file('a', 'file first'),
        dir('a/'),
        file('a/child', 'kept'),
        dir('a/', { mode: 0o700 }),
        dir('b/'),
        file('b/x', 'gone'),
        file('b', 'file replaces dir'),
        file('c', 'old'),
        hardlink('c-link', 'c'),
        file('c', 'new'),
      ]);
      assert.equal(await readFile(join(root, 'a/child'), 'utf8'), 'kept');
      assert.equal((await stat(join(root, 'a'))).mode & 0o7777, 0o700);
      assert.equal(await readFile(join(root, 'b'), 'utf8'), 'file replaces dir');
      assert.equal(
        await readFile(join(root, 'c-link'), 'utf8'),
        'old',
        'replacing unlinks, never truncates a shared inode',
      );
      assert.equal(await readFile(join(root, 'c'), 'utf8'), 'new');
    }));
});

describe('extractLayer: whiteouts become overlayfs whiteouts', () => {
  const isWhiteout = async (path: string) => {
    const st = await lstat(path);
    return st.isCharacterDevice() && st.rdev === 0;
  };
  const isOpaque = (path: string) => lgetxattr(path, 'trusted.overlay.opaque')?.toString() === 'y';

  test('turns .wh.<name> into a 0/0 character device and .wh..wh..opq into an opaque directory', () =>
    withSandbox(async ({ root }) => {
      await extract(root, [
        dir('etc/'),
        file('etc/.wh.passwd', ''),
        file('var/lib/.wh..wh..opq', ''),
        file('.wh.top', ''),
        file('.wh..wh.plnk/123', 'aufs hardlink store'),
      ]);
      assert.ok(await isWhiteout(join(root, 'etc/passwd')));
      assert.ok(await isWhiteout(join(root, 'top')));
      assert.ok(isOpaque(join(root, 'var/lib')));
      assert.deepEqual((await readdir(join(root, 'var/lib'))).length, 0);
      assert.deepEqual(
        (await readdir(root)).sort(),
        ['etc', 'top', 'var'],
        'whiteout files and AUFS metadata are not extracted',
      );
    }));

  test('applies a whiteout only to lower layers when the same layer has the path', () =>
    withSandbox(async ({ root }) => {
      await extract(root, [
        file('f', 'this layer'),
        file('.wh.f', ''),
        dir('d/'),
        file('d/x', 'this layer'),
        file('.wh.d', ''),
        file('.wh.e', ''),
        dir('e/'),
        file('e/y', 'recreated'),
        file('.wh.g', ''),
        file('g/z', 'implicit parent'),
        file('.wh.h', ''),
        file('h', 'file after whiteout'),
      ]);
      assert.equal(await readFile(join(root, 'f'), 'utf8'), 'this layer');
      assert.equal(await readFile(join(root, 'd/x'), 'utf8'), 'this layer');
      assert.ok(isOpaque(join(root, 'd')), 'lower d is deleted, this layer keeps its own');
      assert.ok(isOpaque(join(root, 'e')));
      assert.ok(isOpaque(join(root, 'g')));
      assert.equal(await readFile(join(root, 'h'), 'utf8'), 'file after whiteout');
    }));

  test('refuses whiteouts that name the directory itself or its parent', async () => {
    for (const name of ['a/.wh.', 'a/.wh..', 'a/.wh...']) {
      await withSandbox(async ({ root }) => {
        await assert.rejects(extract(root, [file(name, '')]), assertRefused(name));
      });
    }
  });
});

describe('extractLayer: hostile layers write nothing outside the root', () => {
  const cases: Array<{ name: string; entries: (s: Sandbox) => TarEntry[]; refused: string }> = [
    { name: 'a ../ name', entries: () => [file('../evil', 'x')], refused: '../evil' },
    { name: 'a ../../ name', entries: () => [file('../../evil', 'x')], refused: '../../evil' },
    { name: 'an absolute name', entries: () => [file('/abs/evil', 'x')], refused: '/abs/evil' },
    { name: 'a name climbing out through a/..', entries: () => [file('a/../../evil', 'x')], refused: 'a/../../evil' },
    {
      name: 'a write through an absolute symlink',
      entries: (s) => [symlink('link', s.outside), file('link/evil', 'x')],
      refused: 'link/evil',
    },
    {
      name: 'a write through a relative symlink',
      entries: () => [symlink('link', '../outside'), file('link/sentinel', 'overwritten')],
      refused: 'link/sentinel',
    },
    {
      name: 'a write through a symlink to ../..',
      entries: () => [symlink('link', '../..'), file('link/evil', 'x')],
      refused: 'link/evil',
    },
    {
      name: 'a directory through a symlink',
      entries: (s) => [symlink('link', s.outside), dir('link/sub/')],
      refused: 'link/sub/',
    },
    {
      name: 'a device through a symlink',
      entries: (s) => [
        symlink('link', s.outside),
        { header: { name: 'link/null', type: 'character-device', devmajor: 1, devminor: 3 } },
      ],
      refused: 'link/null',
    },
    {
      name: 'a symlink created through a symlink',
      entries: (s) => [symlink('link', s.outside), symlink('link/evil', '/etc/passwd')],
      refused: 'link/evil',
    },
    {
      name: 'a whiteout through a symlink',
      entries: (s) => [symlink('link', s.outside), file('link/.wh.sentinel', '')],
      refused: 'link/.wh.sentinel',
    },
    {
      name: 'an opaque marker through a symlink',
      entries: (s) => [symlink('link', s.outside), file('link/.wh..wh..opq', '')],
      refused: 'link/.wh..wh..opq',
    },
    { name: 'a hardlink to ../../etc/passwd', entries: () => [hardlink('evil', '../../etc/passwd')], refused: 'evil' },
    { name: 'a hardlink to /etc/passwd', entries: () => [hardlink('evil', '/etc/passwd')], refused: 'evil' },
    { name: 'a hardlink to an absolute outside file', entries: (s) => [hardlink('evil', s.sentinel)], refused: 'evil' },
    {
      name: 'a hardlink through a symlink parent',
      entries: (s) => [symlink('link', s.outside), hardlink('evil', 'link/sentinel')],
      refused: 'evil',
    },
    {
      name: 'a hardlink placed through a symlink parent',
      entries: (s) => [file('ok', 'x'), symlink('link', s.outside), hardlink('link/evil', 'ok')],
      refused: 'link/evil',
    },
    { name: 'a hardlink to a path not in the layer', entries: () => [hardlink('evil', 'missing')], refused: 'evil' },
    { name: 'a hardlink to a directory', entries: () => [dir('d/'), hardlink('evil', 'd')], refused: 'evil' },
    { name: 'a file replacing the root', entries: () => [file('./', 'x')], refused: './' },
    { name: 'a symlink replacing the root', entries: (s) => [symlink('.', s.outside)], refused: '.' },
    { name: 'a write below a regular file', entries: () => [file('f', 'x'), file('f/evil', 'x')], refused: 'f/evil' },
  ];

  for (const c of cases) {
    test(`refuses ${c.name}`, () =>
      withSandbox(async (s) => {
        const before = await snapshot(s.tmp, s.root);
        await assert.rejects(extract(s.root, c.entries(s)), assertRefused(c.refused));
        assert.deepEqual(await snapshot(s.tmp, s.root), before);
        assert.equal(await readFile(s.sentinel, 'utf8'), 'untouched');
      }));
  }

  test('replaces a symlink with a file or directory instead of writing through it', () =>
    withSandbox(async (s) => {
      const before = await snapshot(s.tmp, s.root);
      await extract(s.root, [
        symlink('f', s.sentinel),
        file('f', 'inside'),
        symlink('d', s.outside),
        dir('d/', { mode: 0o700 }),
        file('d/sentinel', 'inside too'),
      ]);
      assert.equal(await readFile(join(s.root, 'f'), 'utf8'), 'inside');
      assert.ok((await lstat(join(s.root, 'd'))).isDirectory());
      assert.deepEqual(await snapshot(s.tmp, s.root), before);
      assert.equal(await readFile(s.sentinel, 'utf8'), 'untouched');
    }));

  test('allows a hardlink to a symlink, which links the symlink itself', () =>
    withSandbox(async (s) => {
      await extract(s.root, [symlink('l', s.sentinel), hardlink('l2', 'l')]);
      assert.equal(await readlink(join(s.root, 'l2')), s.sentinel);
    }));
});

describe('extractLayer: failures and cancellation', () => {
  test('passes an input error through unchanged', () =>
    withSandbox(async ({ root }) => {
      const input = new Readable({ read() {} });
      input.push((await packTar([file('a', 'x'.repeat(5000))])).subarray(0, 1024));
      setImmediate(() => input.destroy(new Error('registry connection reset')));
      await assert.rejects(extractLayer(input, root), /registry connection reset/);
    }));

  test('rejects data that is not a tar', () =>
    withSandbox(async ({ root }) => {
      await assert.rejects(extractLayer(streamOf(Buffer.alloc(1024, 0x41)), root), (e: unknown) =>
        isBerthError(e, 'invalid-argument'),
      );
    }));

  test('rejects a truncated tar and destroys the input', () =>
    withSandbox(async ({ root }) => {
      const whole = await packTar([file('a', 'x'.repeat(5000))]);
      const input = streamOf(whole.subarray(0, 1500));
      await assert.rejects(
        extractLayer(input, root),
        (e: unknown) => isBerthError(e, 'invalid-argument') && /invalid layer tar/.test(e.message),
      );
      assert.ok(input.destroyed);
    }));

  test('rejects as canceled when the signal aborts mid-stream, and destroys the input', () =>
    withSandbox(async ({ root }) => {
      const input = new Readable({ read() {} });
      input.push(await packTar([file('a', 'first')]).then((b) => b.subarray(0, b.length - END_OF_ARCHIVE.length)));
      const controller = new AbortController();
      const done = extractLayer(input, root, { signal: controller.signal });
      // The stream never ends on its own; only the abort can finish the call.
      setImmediate(() => controller.abort());
      await assert.rejects(done, (e: unknown) => isBerthError(e, 'canceled'));
      assert.ok(input.destroyed);
    }));

  test('rejects as canceled when aborted while a large file streams, leaking no file descriptor', () =>
    withSandbox(async ({ root }) => {
      const fds = async () => (await readdir('/proc/self/fd')).length;
      const before = await fds();
      const whole = await packTar([file('big', 'x'.repeat(4 << 20))]);
      const controller = new AbortController();
      // Feed 3 MiB in 64 KiB pieces, then abort on the next read: the stages
      // between input and disk buffer far less than that, so by then the file
      // is open and partly written.
      let offset = 0;
      const input = new Readable({
        read() {
          if (offset >= 3 << 20) return controller.abort();
          this.push(whole.subarray(offset, (offset += 64 << 10)));
        },
      });
      await assert.rejects(extractLayer(input, root, { signal: controller.signal }), (e: unknown) =>
        isBerthError(e, 'canceled'),
      );
      assert.ok(input.destroyed);
      assert.ok((await stat(join(root, 'big'))).size < 4 << 20, 'the abort came mid-file');
      assert.equal(await fds(), before);
    }));

  test('refuses an entry type it cannot represent', () =>
    withSandbox(async ({ root }) => {
      const sparse = rawEntry({ name: 'sparse', typeflag: 'S' });
      await assert.rejects(
        extractLayer(streamOf(sparse, END_OF_ARCHIVE), root),
        (e: unknown) => isBerthError(e, 'invalid-argument') && /unsupported tar entry type/.test(e.message),
      );
    }));

  test('rejects as canceled before reading when the signal is already aborted', () =>
    withSandbox(async ({ root }) => {
      const input = streamOf(await packTar([file('a', 'x')]));
      await assert.rejects(extractLayer(input, root, { signal: AbortSignal.abort() }), (e: unknown) =>
        isBerthError(e, 'canceled'),
      );
      assert.ok(input.destroyed);
      assert.deepEqual(await readdir(root), []);
    }));
});
