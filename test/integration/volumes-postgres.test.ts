import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';
import { postgresRootfsTar } from '../support/postgres-image.js';

const BIN = '/usr/lib/postgresql/15/bin';
const DATA = '/var/lib/postgresql/data';
/** initdb on a new volume, then the server in the foreground on a socket in /tmp. */
const SERVER = `[ -f ${DATA}/PG_VERSION ] || ${BIN}/initdb -D ${DATA} >/dev/null; exec ${BIN}/postgres -D ${DATA} -k /tmp -c listen_addresses=''`;
const asPostgres = (command: string) => ['su', 'postgres', '-s', '/bin/sh', '-c', command];
const psql = (sql: string) => asPostgres(`psql -h /tmp -At -v ON_ERROR_STOP=1 -c "${sql}"`);

/*
 * The database story with PostgreSQL itself. It needs Debian's
 * mirror and minutes the first time (debootstrap, then cached), so it runs
 * only when asked for; volumes-database.test.ts tells the same story with
 * SQLite in every run.
 */
const wanted = process.env.BERTH_TEST_POSTGRES === '1';
describe(
  'PostgreSQL keeps its rows in a named volume across rm -f (needs root and Debian mirror access)',
  {
    skip: wanted ? false : 'set BERTH_TEST_POSTGRES=1: it debootstraps Debian with PostgreSQL (minutes, network)',
  },
  () => {
    let d: ContainerTestDaemon;
    before(async () => {
      const tar = await postgresRootfsTar();
      d = await startContainerDaemon();
      await d.ok(['import', tar, 'postgres:15']);
    });
    after(() => d?.cleanUp());

    const startServer = async (name: string) => {
      await d.ok([
        'run',
        '-d',
        '--name',
        name,
        '-v',
        'pgdata:/var/lib/postgresql',
        'postgres:15',
        ...asPostgres(SERVER),
      ]);
      await eventually(
        async () => (await d.docker(['exec', name, ...asPostgres('pg_isready -h /tmp')])).code === 0,
        `${name} accepts connections`,
        60_000,
      );
    };

    test('rows committed before rm -f are all there for a new server on the same volume', async () => {
      await startServer('pg1');
      await d.ok(['exec', 'pg1', ...psql('CREATE TABLE orders(id serial PRIMARY KEY, item text NOT NULL)')]);
      await d.ok([
        'exec',
        'pg1',
        ...psql("INSERT INTO orders(item) SELECT 'item-' || i FROM generate_series(1, 5000) i"),
      ]);
      await d.ok(['rm', '-f', 'pg1']);
      await startServer('pg2');
      assert.equal(await d.ok(['exec', 'pg2', ...psql('SELECT count(*), max(id) FROM orders')]), '5000|5000');
      await d.ok(['rm', '-f', 'pg2']);
    });
  },
);
