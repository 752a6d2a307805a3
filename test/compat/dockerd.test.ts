import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerdSkipReason, succeeded as ok, useBerthAndDockerd } from '../support/dockerd.js';
import { busyboxRootfs } from '../support/images.js';

describe('images move between berth and real Docker with the same IDs', { skip: dockerdSkipReason() }, () => {
  const engines = useBerthAndDockerd();

  test('a multi-layer image with a deleted file, saved by dockerd, loads into berth with the same ID', async () => {
    const { berth, dockerd } = engines;
    await ok(dockerd.docker(['import', '-c', 'CMD ["sh"]', '-', 'bb:base'], { input: await busyboxRootfs() }));
    // A real second layer made by Docker: a new file and a whiteout for /bin/vi.
    await ok(
      dockerd.docker([
        'run',
        '--name',
        'writer',
        '--network',
        'none',
        'bb:base',
        'sh',
        '-c',
        'rm /bin/vi; echo new > /new.txt',
      ]),
    );
    await ok(dockerd.docker(['commit', 'writer', 'bb:two']));
    await ok(dockerd.docker(['rm', 'writer']));
    const id = await ok(dockerd.docker(['image', 'inspect', '--format', '{{.Id}}', 'bb:two']));
    const archive = join(berth.root, 'from-dockerd.tar');
    await ok(dockerd.docker(['save', '-o', archive, 'bb:two']));

    await ok(berth.docker(['load', '-i', archive]));
    assert.equal(await ok(berth.docker(['image', 'inspect', '--format', '{{.Id}}', 'bb:two'])), id);
    const dirs = JSON.parse(
      await ok(berth.docker(['image', 'inspect', '--format', '{{json .GraphDriver.Data}}', 'bb:two'])),
    ) as {
      LowerDir: string;
      UpperDir: string;
    };
    const merged = join(berth.root, 'merged');
    await mkdir(merged);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${dirs.UpperDir}:${dirs.LowerDir}`, merged]);
    try {
      assert.ok(!existsSync(join(merged, 'bin/vi')), 'the deleted file is absent');
      assert.ok(existsSync(join(merged, 'bin/sh')));
      assert.ok(existsSync(join(merged, 'new.txt')));
    } finally {
      execFileSync('umount', [merged]);
    }
  });

  test('what berth saves loads into dockerd with the same ID and runs there', async () => {
    const { berth, dockerd } = engines;
    const rootfs = await busyboxRootfs();
    await ok(berth.docker(['import', '-c', 'CMD ["echo","from berth"]', '-', 'made-by-berth:1'], { input: rootfs }));
    const id = await ok(berth.docker(['image', 'inspect', '--format', '{{.Id}}', 'made-by-berth:1']));
    const archive = join(berth.root, 'from-berth.tar');
    await ok(berth.docker(['save', '-o', archive, 'made-by-berth:1', 'bb:two']));
    await ok(dockerd.docker(['rmi', 'bb:two', 'bb:base']));
    const loaded = await ok(dockerd.docker(['load', '-i', archive]));
    assert.match(loaded, /Loaded image: made-by-berth:1/);
    assert.equal(await ok(dockerd.docker(['image', 'inspect', '--format', '{{.Id}}', 'made-by-berth:1'])), id);
    assert.equal(await ok(dockerd.docker(['run', '--rm', '--network', 'none', 'made-by-berth:1'])), 'from berth');
    assert.equal(await ok(dockerd.docker(['run', '--rm', '--network', 'none', 'bb:two', 'cat', '/new.txt'])), 'new');
  });
});
