import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { isBerthError, lgetxattr, lsetxattr, makedev, mknod } from '../kernel/index.js';
import { extractLayer } from './extract.js';
import { entryXattrs, keepRawPaxXattrs, type TarHeader } from './extract-pax.js';
import { ChangeKind, listChanges } from './layer-writer-changes.js';
import { encodeHeader, padding, TypeFlag, type EntryHeader } from './layer-writer-header.js';
import { writeLayerTar } from './layer-writer.js';
import { packTar, streamOf } from './testdata/tar-builder.js';

const isRoot = process.getuid?.() === 0;
const needsRoot = { skip: isRoot ? false : 'whiteouts (mknod) and trusted.* xattrs need root' };
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
/** VFS_CAP_REVISION_2 with the effective flag, permitting cap_setuid (bit 7: a 0x80 byte) and cap_net_bind_service. */
const CAPABILITY = Buffer.from([0x01, 0, 0, 0x02, 0x80, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const MTIME = new Date('2021-02-03T04:05:06Z');

interface ReadEntry {
  header: TarHeader;
  xattrs: Map<string, Buffer>;
  data: Buffer;
}

async function readTar(bytes: Buffer): Promise<ReadEntry[]> {
  const extract = tar.extract();
  keepRawPaxXattrs(extract);
  const out: ReadEntry[] = [];
  extract.end(bytes);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    const header = entry.header as TarHeader;
    out.push({ header, xattrs: entryXattrs(header), data: Buffer.concat(chunks) });
  }
  return out;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function withTmp(fn: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'berth-layer-writer-'));
  try {
    await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const base: EntryHeader = {
  name: 'a',
  type: TypeFlag.file,
  mode: 0o644,
  uid: 0,
  gid: 0,
  size: 0,
  mtime: 1_600_000_000,
};

describe('tar headers', () => {
  const cases: Array<{ what: string; header: EntryHeader; check: (e: ReadEntry) => void }> = [
    {
      what: 'a short ASCII name fits the ustar block alone',
      header: { ...base, name: 'etc/hosts', mode: 0o4755, uid: 12, gid: 34 },
      check: (e) => {
        assert.equal(e.header.name, 'etc/hosts');
        assert.equal(e.header.mode, 0o4755);
        assert.deepEqual([e.header.uid, e.header.gid], [12, 34]);
        assert.equal(e.header.pax, null);
      },
    },
    {
      what: 'a name over 100 bytes goes to PAX path',
      header: { ...base, name: `${'d'.repeat(80)}/${'f'.repeat(80)}` },
      check: (e) => assert.equal(e.header.name, `${'d'.repeat(80)}/${'f'.repeat(80)}`),
    },
    {
      what: 'a non-ASCII name goes to PAX path as UTF-8',
      header: { ...base, name: 'größe/日本.txt' },
      check: (e) => assert.equal(e.header.name, 'größe/日本.txt'),
    },
    {
      what: 'a long symlink target goes to PAX linkpath',
      header: { ...base, type: TypeFlag.symlink, linkname: `/${'t'.repeat(200)}` },
      check: (e) => assert.equal(e.header.linkname, `/${'t'.repeat(200)}`),
    },
    {
      what: 'ids beyond the octal field go to PAX',
      header: { ...base, uid: 3_000_000, gid: 2_097_152 },
      check: (e) => assert.deepEqual([e.header.pax?.uid, e.header.pax?.gid], ['3000000', '2097152']),
    },
    {
      what: 'binary xattr values keep their exact bytes',
      header: {
        ...base,
        xattrs: [
          ['security.capability', CAPABILITY],
          ['user.nl', Buffer.from('a\nb=c')],
        ],
      },
      check: (e) => {
        assert.deepEqual(e.xattrs.get('security.capability'), CAPABILITY);
        assert.deepEqual(e.xattrs.get('user.nl'), Buffer.from('a\nb=c'));
      },
    },
    {
      what: 'a device keeps its major and minor',
      header: { ...base, type: TypeFlag.char, devmajor: 136, devminor: 300 },
      check: (e) =>
        assert.deepEqual([e.header.type, e.header.devmajor, e.header.devminor], ['character-device', 136, 300]),
    },
  ];
  for (const { what, header, check } of cases) {
    test(what, async () => {
      const entries = await readTar(Buffer.concat([encodeHeader(header), Buffer.alloc(1024)]));
      assert.equal(entries.length, 1);
      check(entries[0]!);
    });
  }

  test('GNU tar reads the headers berth writes', () => {
    const data = Buffer.from('hello');
    const bytes = Buffer.concat([
      encodeHeader({ ...base, name: 'dir/', type: TypeFlag.dir, mode: 0o755 }),
      encodeHeader({ ...base, name: `dir/${'x'.repeat(120)}`, size: data.length }),
      data,
      padding(data.length),
      Buffer.alloc(1024),
    ]);
    const listing = execFileSync('tar', ['-tf', '-'], { input: bytes, encoding: 'utf8' });
    assert.deepEqual(listing.trim().split('\n'), ['dir/', `dir/${'x'.repeat(120)}`]);
  });
});

/** An upper directory as overlayfs leaves it, made by hand. */
function makeUpper(upper: string): void {
  mkdirSync(join(upper, 'etc'));
  writeFileSync(join(upper, 'etc/passwd'), 'root:x:0:0\n');
  linkSync(join(upper, 'etc/passwd'), join(upper, 'etc/passwd-link'));
  symlinkSync('../etc/passwd', join(upper, 'etc/alias'));
  mknod(join(upper, 'etc/gone'), S_IFCHR, 0n);
  mknod(join(upper, 'etc/null'), S_IFCHR | 0o666, makedev(1, 3));
  mknod(join(upper, 'etc/pipe'), S_IFIFO | 0o640, 0n);
  mkdirSync(join(upper, 'opq'), 0o750);
  lsetxattr(join(upper, 'opq'), 'trusted.overlay.opaque', Buffer.from('y'));
  writeFileSync(join(upper, 'opq/new'), 'fresh');
  lsetxattr(join(upper, 'opq/new'), 'trusted.overlay.origin', Buffer.from([1, 2, 3]));
  lsetxattr(join(upper, 'opq/new'), 'user.note', Buffer.from('kept'));
  writeFileSync(join(upper, 'big'), Buffer.alloc(3 << 20, 7));
  chmodSync(join(upper, 'big'), 0o600);
  for (const p of ['etc/passwd', 'opq/new', 'big', 'opq', 'etc']) utimesSync(join(upper, p), MTIME, MTIME);
}

describe('writeLayerTar', () => {
  test('writes every kind of upper entry as an OCI changeset, in sorted order (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      makeUpper(tmp);
      const server = createServer().listen(join(tmp, 'etc/sock'));
      try {
        const entries = await readTar(await collect(writeLayerTar(tmp)));
        const summary = entries.map(({ header: h }) => [h.name, h.type, h.linkname ?? null]);
        assert.deepEqual(summary, [
          ['big', 'file', null],
          ['etc/', 'directory', null],
          ['etc/alias', 'symlink', '../etc/passwd'],
          ['etc/.wh.gone', 'file', null],
          ['etc/null', 'character-device', null],
          ['etc/passwd', 'file', null],
          ['etc/passwd-link', 'link', 'etc/passwd'],
          ['etc/pipe', 'fifo', null],
          ['opq/', 'directory', null],
          ['opq/.wh..wh..opq', 'file', null],
          ['opq/new', 'file', null],
        ]);
        const byName = new Map(entries.map((e) => [e.header.name, e]));
        assert.equal(byName.get('big')!.data.length, 3 << 20);
        assert.equal(byName.get('big')!.header.mode, 0o600);
        assert.equal(byName.get('etc/passwd')!.data.toString(), 'root:x:0:0\n');
        assert.equal(byName.get('etc/passwd')!.header.mtime?.getTime(), MTIME.getTime());
        assert.deepEqual([byName.get('etc/null')!.header.devmajor, byName.get('etc/null')!.header.devminor], [1, 3]);
        assert.equal(byName.get('etc/pipe')!.header.mode, 0o640);
        assert.equal(byName.get('opq/')!.header.mode, 0o750);
        assert.deepEqual([...byName.get('opq/')!.xattrs.keys()], [], 'overlay xattrs are not layer content');
        assert.deepEqual([...byName.get('opq/new')!.xattrs], [['user.note', Buffer.from('kept')]]);
      } finally {
        server.close();
      }
    }),
  );

  test('writes the same bytes for the same upper (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      makeUpper(tmp);
      const digest = async () =>
        createHash('sha256')
          .update(await collect(writeLayerTar(tmp)))
          .digest('hex');
      assert.equal(await digest(), await digest());
    }),
  );

  test('security.capability survives upper → tar → extraction (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const [upper, out] = [join(tmp, 'upper'), join(tmp, 'out')];
      mkdirSync(upper);
      mkdirSync(out);
      writeFileSync(join(upper, 'ping'), 'binary');
      chmodSync(join(upper, 'ping'), 0o755);
      lsetxattr(join(upper, 'ping'), 'security.capability', CAPABILITY);
      await extractLayer(writeLayerTar(upper), out);
      assert.deepEqual(lgetxattr(join(out, 'ping'), 'security.capability'), CAPABILITY);
      assert.equal(await readFile(join(out, 'ping'), 'utf8'), 'binary');
    }),
  );

  test('fails as canceled when the signal is aborted', () =>
    withTmp(async (tmp) => {
      writeFileSync(join(tmp, 'a'), 'x');
      await assert.rejects(collect(writeLayerTar(tmp, { signal: AbortSignal.abort() })), (e: unknown) =>
        isBerthError(e, 'canceled'),
      );
    }));
});

describe('listChanges', () => {
  test('follows overlay lookup through several lower layers (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const [bottom, top, upper] = ['bottom', 'top', 'upper'].map((d) => join(tmp, d)) as [string, string, string];
      for (const d of [bottom, top, upper]) mkdirSync(d);
      await extractLayer(
        streamOf(
          await packTar([
            { header: { name: 'a/', type: 'directory', mtime: MTIME } },
            { header: { name: 'a/old', type: 'file', mtime: MTIME }, data: 'o' },
            { header: { name: 'b/', type: 'directory', mtime: MTIME } },
            { header: { name: 'b/inner', type: 'file', mtime: MTIME }, data: 'i' },
          ]),
        ),
        bottom,
      );
      // The top lower layer deletes a/old and empties b/.
      await extractLayer(
        streamOf(
          await packTar([
            { header: { name: 'a/', type: 'directory', mtime: MTIME } },
            { header: { name: 'a/.wh.old', type: 'file', mtime: MTIME }, data: '' },
            { header: { name: 'b/', type: 'directory', mtime: MTIME } },
            { header: { name: 'b/.wh..wh..opq', type: 'file', mtime: MTIME }, data: '' },
          ]),
        ),
        top,
      );
      for (const p of ['a', 'b']) mkdirSync(join(upper, p));
      writeFileSync(join(upper, 'a/old'), 'again');
      writeFileSync(join(upper, 'b/inner'), 'again');
      for (const p of ['a', 'b']) utimesSync(join(upper, p), MTIME, MTIME);
      assert.deepEqual(await listChanges(upper, [top, bottom]), [
        { path: '/a', kind: ChangeKind.Modified, size: 0 },
        { path: '/a/old', kind: ChangeKind.Added, size: 5 },
        { path: '/b', kind: ChangeKind.Modified, size: 0 },
        { path: '/b/inner', kind: ChangeKind.Added, size: 5 },
      ]);
    }),
  );
});
