import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MountFlags, mount, umount2 } from '../kernel/index.js';
import { extractLayer } from './extract.js';
import { packTar, streamOf, type TarEntry } from './testdata/tar-builder.js';

const file = (name: string, data: string): TarEntry => ({ header: { name, type: 'file', mode: 0o644 }, data });
const dir = (name: string): TarEntry => ({ header: { name, type: 'directory', mode: 0o755 } });

const isRoot = process.getuid?.() === 0;

test(
  'extracted layers stack in real overlayfs: whiteouts delete and opaque directories hide lower entries (needs root)',
  { skip: isRoot ? false : 'mounting overlayfs and trusted.* xattrs need root' },
  async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'berth-overlay-'));
    const [lower, upper, merged] = ['lower', 'upper', 'merged'].map((d) => join(tmp, d)) as [string, string, string];
    await Promise.all([lower, upper, merged].map((d) => mkdir(d)));
    let mounted = false;
    try {
      await extractLayer(
        streamOf(
          await packTar([
            dir('etc/'),
            file('etc/keep', 'kept'),
            file('etc/gone', 'deleted above'),
            dir('opq/'),
            file('opq/old', 'hidden'),
            file('opq/sub/older', 'hidden'),
            file('redo/lower-only', 'hidden by whiteout + directory'),
          ]),
        ),
        lower,
      );
      await extractLayer(
        streamOf(
          await packTar([
            file('etc/.wh.gone', ''),
            dir('opq/'),
            file('opq/.wh..wh..opq', ''),
            file('opq/new', 'visible'),
            file('.wh.redo', ''),
            dir('redo/'),
            file('redo/upper-only', 'visible'),
          ]),
        ),
        upper,
      );

      // Read-only overlay of two lowers, no upperdir: exactly how snapshots stack.
      mount('overlay', merged, 'overlay', MountFlags.RDONLY, `lowerdir=${upper}:${lower}`);
      mounted = true;

      assert.deepEqual(await readdir(join(merged, 'etc')), ['keep']);
      assert.equal(await readFile(join(merged, 'etc/keep'), 'utf8'), 'kept');
      assert.deepEqual(await readdir(join(merged, 'opq')), ['new']);
      assert.deepEqual(await readdir(join(merged, 'redo')), ['upper-only']);
    } finally {
      if (mounted) umount2(merged);
      await rm(tmp, { recursive: true, force: true });
    }
  },
);
