import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { statPath, type FsView } from './archive.js';

describe("docker cp's view of a container: its rootfs with volumes and binds over it", () => {
  let dir: string;
  let view: FsView;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cp-view-'));
    const rootfs = join(dir, 'rootfs');
    const volume = join(dir, 'volume');
    const nested = join(dir, 'nested');
    for (const d of [join(rootfs, 'etc'), join(rootfs, 'data'), volume, nested]) await mkdir(d, { recursive: true });
    await writeFile(join(rootfs, 'etc', 'hostname'), 'in the rootfs\n');
    await writeFile(join(rootfs, 'data', 'hidden'), 'under the volume\n');
    await writeFile(join(volume, 'file'), 'in the volume\n');
    await writeFile(join(nested, 'deep'), 'in the nested mount\n');
    // Absolute and climbing links inside a volume stay in the container's view.
    await symlink('/etc', join(volume, 'etc-link'));
    await symlink('../../../../..', join(volume, 'up'));
    view = {
      rootfs,
      mounts: [
        { destination: '/data', source: volume, readOnly: false },
        { destination: '/data/sub', source: nested, readOnly: true },
      ],
      readOnlyRootfs: false,
    };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const size = async (path: string) => (await statPath(view, path)).size;

  test('a path inside a mount is read from its source, and the innermost mount wins', async () => {
    assert.equal(await size('/data/file'), 'in the volume\n'.length);
    assert.equal(await size('/data/sub/deep'), 'in the nested mount\n'.length);
    await assert.rejects(statPath(view, '/data/hidden'), /Could not find the file/);
  });

  test("symlinks in a volume resolve in the container's view, never on the host", async () => {
    assert.equal(await size('/data/etc-link/hostname'), 'in the rootfs\n'.length);
    assert.equal(await size('/data/up/etc/hostname'), 'in the rootfs\n'.length);
  });

  test('the last component is not followed: a link is reported as a link', async () => {
    const st = await statPath(view, '/data/etc-link');
    assert.equal(st.linkTarget, '/etc');
  });
});
