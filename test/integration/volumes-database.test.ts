import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';
import { sqliteRootfs } from '../support/sqlite-image.js';

/** 1000 orders in one transaction, then a marker file, then the "server" keeps running. */
const WRITE_ORDERS = [
  'mkdir -p /var/lib/db',
  `sqlite3 /var/lib/db/app.db "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT NOT NULL);
   WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
   INSERT INTO orders(item) SELECT 'item-' || i FROM n;"`,
  'touch /var/lib/db/ready',
  'exec sleep 1000',
].join(' && ');

const COUNT_ORDERS = 'PRAGMA integrity_check; SELECT count(*), max(item) FROM orders;';

/*
 * The database story with SQLite rather than PostgreSQL: Debian's
 * sqlite3 and its libraries copied into an image take a moment to build and
 * need no network, where a debootstrapped Debian with PostgreSQL costs
 * minutes and a mirror on every run.
 */
describe('a database keeps its data in a named volume across rm -f (needs root: runc, conmon, overlayfs)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
    const imported = await d.docker(['import', '-c', 'CMD ["sh"]', '-', 'sqlite:latest'], {
      input: await sqliteRootfs(),
    });
    assert.equal(imported.code, 0, imported.stderr);
  });
  after(() => d.cleanUp());

  const startWriter = async (name: string, volume: string[]) => {
    await d.ok(['run', '-d', '--name', name, ...volume, 'sqlite', 'sh', '-c', WRITE_ORDERS]);
    await eventually(
      async () => (await d.docker(['exec', name, 'test', '-f', '/var/lib/db/ready'])).code === 0,
      `${name} has written its rows`,
    );
  };

  test('every row written to a named volume is there for a new container after rm -f', async () => {
    await startWriter('db', ['-v', 'dbdata:/var/lib/db']);
    await d.ok(['rm', '-f', 'db']);
    const out = await d.ok([
      'run',
      '--rm',
      '-v',
      'dbdata:/var/lib/db',
      'sqlite',
      'sqlite3',
      '/var/lib/db/app.db',
      COUNT_ORDERS,
    ]);
    assert.equal(out, 'ok\n1000|item-999');
  });

  test('without a volume the rows are gone after rm, and berth rm warned first', async () => {
    await startWriter('db2', []);
    const removed = await d.berth(['rm', '-f', 'db2']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /WARNING: db2: this container's writable layer holds \d+ changed files/);
    assert.match(removed.stderr, /keep data that must outlive containers in volumes/);
    const after = await d.docker([
      'run',
      '--rm',
      'sqlite',
      'sqlite3',
      '/var/lib/db/app.db',
      'SELECT count(*) FROM orders;',
    ]);
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /unable to open database|no such table: orders/);
  });
});
