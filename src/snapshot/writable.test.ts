import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import {
  appendFile,
  chmod,
  link,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';
import { ChangeKind, extractLayer, listChanges, writeLayerTar } from '../archive/index.js';
import { isBerthError, MountFlags, mknod, mount, umount2 } from '../kernel/index.js';
import {
  discardWritable,
  mountWritable,
  prepareWritable,
  purgeTrash,
  removeWritable,
  unmountWritable,
} from './writable.js';

const isRoot = process.getuid?.() === 0;
const needsRoot = { skip: isRoot ? false : 'overlayfs mounts, whiteouts and chown need root' };
const MTIME = new Date('2021-02-03T04:05:06Z');
const S_IFIFO = 0o010000;

type Entry = [name: string, type: Header['type'], extra?: { data?: string; mode?: number; linkname?: string }];

/** A layer tar built with tar-stream's pack, extracted into `dir`. */
async function extractEntries(dir: string, entries: Entry[]): Promise<void> {
  const pack = tar.pack();
  for (const [name, type, extra = {}] of entries) {
    const header = { name, type, mtime: MTIME, mode: extra.mode, linkname: extra.linkname };
    if (type === 'file') pack.entry(header, extra.data ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  await mkdir(dir, { recursive: true });
  await extractLayer(Readable.from(pack), dir);
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every entry below `root` as comparable text: type, mode, owner and content. */
function describeTree(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    const path = dir === '' ? name : `${dir}/${name}`;
    const abs = join(root, path);
    const st = lstatSync(abs);
    const kind = st.isDirectory()
      ? 'dir'
      : st.isFile()
        ? 'file'
        : st.isSymbolicLink()
          ? 'symlink'
          : st.isFIFO()
            ? 'fifo'
            : 'other';
    const body = kind === 'file' ? readFileSync(abs, 'utf8') : kind === 'symlink' ? readlinkSync(abs) : '';
    out.push(`${path} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${JSON.stringify(body)}`);
    if (kind === 'dir') out.push(...describeTree(root, path));
  }
  return out;
}

async function withTmp(fn: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'berth-writable-'));
  try {
    await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const bottomLayer: Entry[] = [
  ['bin/', 'directory', { mode: 0o755 }],
  ['bin/tool', 'file', { data: 'tool', mode: 0o755 }],
  ['etc/', 'directory', { mode: 0o755 }],
  ['etc/passwd', 'file', { data: 'root:x:0:0\n' }],
  ['etc/gone', 'file', { data: 'to delete' }],
  ['etc/hosts', 'file', { data: 'deleted by the next layer' }],
  ['opq/', 'directory', { mode: 0o755 }],
  ['opq/old', 'file', { data: 'old' }],
  ['opq/sub/', 'directory', { mode: 0o755 }],
  ['opq/sub/deep', 'file', { data: 'deep' }],
  ['var/', 'directory', { mode: 0o755 }],
  ['var/lib/', 'directory', { mode: 0o755 }],
  ['var/lib/app/', 'directory', { mode: 0o755 }],
  ['var/lib/app/data', 'file', { data: 'data' }],
  ['var/lib/app/sub/', 'directory', { mode: 0o700 }],
  ['var/lib/app/sub/deep', 'file', { data: 'deep' }],
  ['var/lib/other', 'file', { data: 'stays' }],
];
const topLayer: Entry[] = [
  ['etc/', 'directory', { mode: 0o755 }],
  ['etc/.wh.hosts', 'file'],
  ['etc/motd', 'file', { data: 'hello' }],
  ['link', 'symlink', { linkname: 'etc/passwd' }],
];

describe('writable layers on real overlayfs', () => {
  test(
    'changes made in the mount are listed like Docker and round-trip through a layer tar (needs root)',
    needsRoot,
    () =>
      withTmp(async (tmp) => {
        const [bottom, top, third, merged] = ['l1', 'l2', 'l3', 'merged'].map((d) => join(tmp, d)) as [
          string,
          string,
          string,
          string,
        ];
        await extractEntries(bottom, bottomLayer);
        await extractEntries(top, topLayer);
        const layer = await prepareWritable({ root: join(tmp, 'container'), lowerDirs: [top, bottom] });
        let mergedMounted = false;
        mountWritable(layer);
        try {
          const m = layer.mountpoint;
          await writeFile(join(m, 'etc/newfile'), 'new');
          await appendFile(join(m, 'etc/passwd'), 'app:x:1:1\n');
          await unlink(join(m, 'etc/gone'));
          await rm(join(m, 'var/lib/app'), { recursive: true });
          await rm(join(m, 'opq'), { recursive: true });
          await mkdir(join(m, 'opq'), { mode: 0o750 });
          await writeFile(join(m, 'opq/fresh'), 'fresh');
          await chmod(join(m, 'bin/tool'), 0o700);
          await link(join(m, 'etc/newfile'), join(m, 'etc/newlink'));
          await symlink('passwd', join(m, 'etc/newsym'));
          mknod(join(m, 'etc/fifo'), S_IFIFO | 0o644);

          const { Modified: C, Added: A, Deleted: D } = ChangeKind;
          const changes = await listChanges(layer.upperDir, layer.lowerDirs);
          assert.deepEqual(
            changes.map((c) => [c.kind, c.path]),
            [
              [C, '/bin/tool'],
              [C, '/etc'],
              [A, '/etc/fifo'],
              [D, '/etc/gone'],
              [A, '/etc/newfile'],
              [A, '/etc/newlink'],
              [A, '/etc/newsym'],
              [C, '/etc/passwd'],
              [D, '/opq'],
              [A, '/opq/fresh'],
              [C, '/var/lib'],
              [D, '/var/lib/app'],
            ],
          );
          assert.equal(changes.find((c) => c.path === '/etc/passwd')?.size, 'root:x:0:0\napp:x:1:1\n'.length);

          const layerTar = await collect(writeLayerTar(layer.upperDir));
          assert.ok(
            layerTar.equals(await collect(writeLayerTar(layer.upperDir))),
            'the same upper gives the same bytes',
          );
          await mkdir(third);
          await extractLayer(Readable.from([layerTar]), third);
          await mkdir(merged);
          mount('overlay', merged, 'overlay', MountFlags.RDONLY, `lowerdir=${third}:${top}:${bottom}`);
          mergedMounted = true;
          const expected = describeTree(m);
          assert.ok(expected.includes('etc/fifo fifo 644 0:0 ""'));
          assert.ok(!expected.some((line) => line.startsWith('var/lib/app')));
          assert.deepEqual(describeTree(merged), expected);
        } finally {
          if (mergedMounted) umount2(merged);
          await unmountWritable(layer.mountpoint);
        }
        await removeWritable(layer.root);
        await assert.rejects(stat(layer.root), { code: 'ENOENT' });
      }),
  );

  test('an image without layers mounts over an empty lower directory (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const layer = await prepareWritable({ root: join(tmp, 'c'), lowerDirs: [] });
      mountWritable(layer);
      try {
        assert.deepEqual(await readdir(layer.mountpoint), []);
        await writeFile(join(layer.mountpoint, 'hello'), 'hi');
        assert.deepEqual(await listChanges(layer.upperDir, layer.lowerDirs), [
          { path: '/hello', kind: ChangeKind.Added, size: 2 },
        ]);
      } finally {
        await unmountWritable(layer.mountpoint);
      }
      await removeWritable(layer.root);
    }),
  );

  test('a volatile layer mounts without sync and mounts again after berth unmounted it (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const layer = await prepareWritable({ root: join(tmp, 'c'), lowerDirs: [] });
      for (const content of ['first', 'second']) {
        mountWritable(layer, { volatile: true });
        try {
          const options = (await readFile('/proc/self/mountinfo', 'utf8'))
            .split('\n')
            .find((l) => l.split(' ')[4] === layer.mountpoint);
          assert.match(options ?? '', /volatile/);
          await writeFile(join(layer.mountpoint, content), content);
        } finally {
          await unmountWritable(layer.mountpoint);
        }
      }
      assert.deepEqual((await readdir(layer.upperDir)).sort(), ['first', 'second']);
      await removeWritable(layer.root);
    }),
  );

  test('discard unmounts, moves the layer to the trash at once and deletes it there (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const layer = await prepareWritable({ root: join(tmp, 'c'), lowerDirs: [] });
      mountWritable(layer);
      await writeFile(join(layer.mountpoint, 'data'), 'x'.repeat(1 << 16));
      const trash = join(tmp, 'trash');
      const { deleted } = await discardWritable(layer.root, trash);
      await assert.rejects(stat(layer.root), { code: 'ENOENT' });
      await deleted;
      assert.deepEqual(await readdir(trash), []);
      // Gone already: nothing to do, not an error.
      await (
        await discardWritable(layer.root, trash)
      ).deleted;
      await mkdir(join(trash, 'left-by-a-crash'));
      await purgeTrash(trash);
      await assert.rejects(stat(trash), { code: 'ENOENT' });
    }),
  );

  test('an image with one layer mounts it under the writable layer (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      await extractEntries(join(tmp, 'l1'), [['a', 'file', { data: 'lower' }]]);
      const layer = await prepareWritable({ root: join(tmp, 'c'), lowerDirs: [join(tmp, 'l1')] });
      mountWritable(layer);
      try {
        assert.equal(await readFile(join(layer.mountpoint, 'a'), 'utf8'), 'lower');
        assert.throws(
          () => mountWritable(layer),
          (e: unknown) => isBerthError(e, 'conflict'),
        );
      } finally {
        await unmountWritable(layer.mountpoint);
      }
      await unmountWritable(layer.mountpoint);
      await removeWritable(layer.root);
    }),
  );

  test('mounts more layers than one page of overlay options can name by path (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const lowerDirs: string[] = [];
      for (let i = 0; i < 150; i++) {
        const dir = join(tmp, 'snapshots', `layer-with-a-rather-long-directory-name-${i}`, 'fs');
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `f${i}`), String(i));
        lowerDirs.push(dir);
      }
      assert.ok(lowerDirs.join(':').length > 4096);
      const layer = await prepareWritable({ root: join(tmp, 'c'), lowerDirs });
      mountWritable(layer);
      try {
        assert.equal((await readdir(layer.mountpoint)).length, 150);
        assert.equal(await readFile(join(layer.mountpoint, 'f149'), 'utf8'), '149');
      } finally {
        await unmountWritable(layer.mountpoint);
      }
      await removeWritable(layer.root);
    }),
  );

  test('removal detaches mounts inside the container and never deletes through them (needs root)', needsRoot, () =>
    withTmp(async (tmp) => {
      const volume = join(tmp, 'volume');
      await mkdir(volume);
      await writeFile(join(volume, 'keep'), 'precious');
      const layer = await prepareWritable({ root: join(tmp, 'c'), lowerDirs: [] });
      mountWritable(layer);
      const target = join(layer.mountpoint, 'data');
      await mkdir(target);
      mount(volume, target, null, MountFlags.BIND);
      await removeWritable(layer.root);
      await assert.rejects(stat(layer.root), { code: 'ENOENT' });
      assert.equal(await readFile(join(volume, 'keep'), 'utf8'), 'precious');
    }),
  );
});
