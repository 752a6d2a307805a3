import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { fileSize, largeArchive, storeCounts } from '../support/images.js';

describe('berthd killed in the middle of a load', () => {
  let d: TestDaemon;
  let archive: string;
  let id: string;
  before(async () => {
    d = await startDaemon();
    archive = join(d.root, 'large.tar');
    id = await largeArchive(archive, 4, 40 << 20);
  });
  after(() => d.stop());

  test('leaves no partial image, GC removes the orphans, and the same load then succeeds', async () => {
    const total = await fileSize(archive);
    // Stream the archive in; kill -9 the daemon once about half of it went in.
    const upload = new Promise<void>((resolve) => {
      const req = request({ socketPath: d.socket, method: 'POST', path: '/v1.47/images/load?quiet=1' }, (r) =>
        r.resume(),
      );
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      let sent = 0;
      const src = createReadStream(archive);
      src.on('data', (c) => {
        sent += c.length;
        if (sent > total / 2 && sent - c.length <= total / 2) void d.kill();
      });
      src.pipe(req);
    });
    await upload;
    await d.restart();
    const images = await d.docker(['images', '-a', '-q']);
    assert.equal(images.stdout.trim(), '', 'no image is listed');
    assert.deepEqual(await storeCounts(d.dataRoot), { blobs: 0, snapshots: 0, ingest: 0 });
    const r = await d.docker(['load', '-i', archive]);
    assert.equal(r.code, 0, r.stderr);
    const inspect = await d.docker(['image', 'inspect', 'large:latest', '--format', '{{.Id}}']);
    assert.equal(inspect.stdout.trim(), id);
  });
});
