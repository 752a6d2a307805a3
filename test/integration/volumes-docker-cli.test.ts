import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

const run = promisify(execFile);

const mounted = (path: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === path);

describe('volumes through the docker CLI on berthd (needs root: runc, conmon, overlayfs, mount)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);
  const volumes = async () => (await ok(['volume', 'ls', '-q'])).split('\n').filter(Boolean);

  test('volume create, ls with filters, inspect and rm work as in Docker', async () => {
    assert.equal(await ok(['volume', 'create', '--label', 'tier=db', 'data1']), 'data1');
    assert.equal(await ok(['volume', 'create', 'data1']), 'data1', 'a second create returns the volume');
    await ok(['volume', 'create', 'other']);
    const inspect = JSON.parse(await ok(['volume', 'inspect', 'data1'])) as Record<string, unknown>[];
    assert.equal(inspect[0]?.Name, 'data1');
    assert.equal(inspect[0]?.Driver, 'local');
    assert.equal(inspect[0]?.Scope, 'local');
    assert.equal(inspect[0]?.Mountpoint, `${d.dataRoot}/volumes/data1/_data`);
    assert.deepEqual(inspect[0]?.Labels, { tier: 'db' });
    assert.ok((await stat(`${d.dataRoot}/volumes/data1/_data`)).isDirectory());
    assert.equal(await ok(['volume', 'ls', '-q', '--filter', 'label=tier=db']), 'data1');
    assert.equal(await ok(['volume', 'ls', '-q', '--filter', 'name=oth']), 'other');
    assert.match(await ok(['volume', 'ls']), /DRIVER\s+VOLUME NAME\nlocal\s+data1\nlocal\s+other/);
    assert.equal(
      await ok(['volume', 'ls', '--format', '{{.Name}} {{.Driver}}', '-f', 'dangling=true']),
      'data1 local\nother local',
    );
    assert.equal(await ok(['volume', 'rm', 'data1', 'other']), 'data1\nother');
    assert.deepEqual(await volumes(), []);
    const missing = await d.docker(['volume', 'inspect', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such volume/);
  });

  test('bad names and bad mount specs are refused with one clear line and leave nothing behind', async () => {
    const slash = await d.docker(['volume', 'create', 'a/b']);
    assert.equal(slash.code, 1);
    assert.match(slash.stderr, /"a\/b" includes invalid characters for a local volume name/);
    const run = await d.docker(['run', '--rm', '-v', 'x/y:/data', 'busybox', 'true']);
    assert.equal(run.code, 125);
    assert.match(run.stderr, /includes invalid characters for a local volume name/);
    const relative = await d.docker(['run', '--rm', '--mount', 'type=volume,source=v1,target=rel', 'busybox', 'true']);
    assert.equal(relative.code, 125);
    assert.match(relative.stderr, /mount path must be absolute/);
    assert.equal(relative.stderr.split('\n').filter((l) => l.includes('daemon')).length, 1, relative.stderr);
    const badOpt = await d.docker(['volume', 'create', '--opt', 'color=red', 'v2']);
    assert.match(badOpt.stderr, /invalid option: "color"/);
    // The volume is made before the capability is found wrong; the failed create takes it back.
    const failed = await d.docker(['create', '-v', 'fresh:/data', '--cap-add', 'NO_SUCH_CAP', 'busybox']);
    assert.notEqual(failed.code, 0);
    assert.deepEqual(await volumes(), []);
  });

  test('data in a named volume survives rm -f and is read by a new container', async () => {
    await ok([
      'run',
      '-d',
      '--name',
      'writer',
      '-v',
      'keep:/data',
      'busybox',
      'sh',
      '-c',
      'echo kept > /data/f; sleep 1000',
    ]);
    await ok(['exec', 'writer', 'cat', '/data/f']);
    await ok(['rm', '-f', 'writer']);
    assert.equal(await ok(['run', '--rm', '-v', 'keep:/data', 'busybox', 'cat', '/data/f']), 'kept');
    await ok(['run', '--name', 'mnt', '-v', 'keep:/data:ro', 'busybox', 'true']);
    const mounts = JSON.parse(await d.inspect('{{json .Mounts}}', 'mnt')) as Record<string, unknown>[];
    assert.deepEqual(mounts, [
      {
        Type: 'volume',
        Name: 'keep',
        Source: `${d.dataRoot}/volumes/keep/_data`,
        Destination: '/data',
        Driver: 'local',
        Mode: 'ro',
        RW: false,
        Propagation: '',
      },
    ]);
    // ps --filter volume= matches a volume's name or a mount's destination.
    const names = (filter: string) => ok(['ps', '-a', '--filter', filter, '--format', '{{.Names}}']);
    assert.equal(await names('volume=keep'), 'mnt');
    assert.equal(await names('volume=/data'), 'mnt');
    assert.equal(await names('volume=other'), '');
    await ok(['rm', 'mnt']);
    await ok(['volume', 'rm', 'keep']);
  });

  test('a volume in use by any container, running or not, cannot be removed (409)', async () => {
    await ok(['volume', 'create', 'busy']);
    const id = await ok(['create', '-v', 'busy:/b', 'busybox']);
    const refused = await d.docker(['volume', 'rm', 'busy']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`remove busy: volume is in use - \\[${id}\\]`));
    const forced = await d.api('DELETE', '/volumes/busy?force=1');
    assert.equal(forced.status, 409);
    await ok(['rm', id]);
    await ok(['volume', 'rm', 'busy']);
  });

  test("an image's VOLUME is a new anonymous volume filled with the image's files, owners and modes", async () => {
    await ok([
      'run',
      '--name',
      'prep',
      'busybox',
      'sh',
      '-c',
      'mkdir -p /srv/data && echo secret > /srv/data/f && ln -s f /srv/data/link && chown -R 1234:5678 /srv/data && chmod 750 /srv/data && chmod 640 /srv/data/f',
    ]);
    await ok(['commit', '-c', 'VOLUME /srv/data', 'prep', 'volimg']);
    await ok(['rm', 'prep']);
    await ok(['run', '--name', 'user1', 'volimg', 'sh', '-c', 'echo more >> /srv/data/f']);
    const mounts = JSON.parse(await d.inspect('{{json .Mounts}}', 'user1')) as Record<string, unknown>[];
    const name = String(mounts[0]?.Name);
    assert.match(name, /^[0-9a-f]{64}$/);
    assert.equal(mounts[0]?.Type, 'volume');
    assert.equal(mounts[0]?.Destination, '/srv/data');
    const data = `${d.dataRoot}/volumes/${name}/_data`;
    const dir = await stat(data);
    assert.deepEqual([dir.uid, dir.gid, dir.mode & 0o7777], [1234, 5678, 0o750]);
    const file = await stat(`${data}/f`);
    assert.deepEqual([file.uid, file.gid, file.mode & 0o7777], [1234, 5678, 0o640]);
    assert.equal(readFileSync(`${data}/f`, 'utf8'), 'secret\nmore\n');
    assert.equal(await readlink(`${data}/link`), 'f');
    const labels = await ok(['volume', 'inspect', '-f', '{{json .Labels}}', name]);
    assert.deepEqual(JSON.parse(labels), { 'com.docker.volume.anonymous': '' });
    // nocopy: a new volume stays empty.
    assert.equal(await ok(['run', '--rm', '-v', 'empty:/srv/data:nocopy', 'volimg', 'ls', '-A', '/srv/data']), '');
    await ok(['rm', '-v', 'user1']);
    assert.ok(!(await volumes()).includes(name));
    await ok(['volume', 'rm', 'empty']);
  });

  test('rm -v removes only anonymous volumes, and --rm takes them too', async () => {
    await ok(['create', '--name', 'both', '-v', 'named1:/n', '-v', '/anon', 'busybox']);
    const anon = await d.inspect('{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}', 'both');
    assert.deepEqual((await volumes()).sort(), [anon, 'named1'].sort());
    await ok(['rm', '-v', 'both']);
    assert.deepEqual(await volumes(), ['named1']);
    await ok(['run', '--rm', '-v', '/scratch', 'busybox', 'true']);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await volumes(), ['named1']);
    await ok(['volume', 'rm', 'named1']);
  });

  test('--volumes-from shares volumes, read-only when asked', async () => {
    await ok(['run', '--name', 'src', '-v', 'shared:/shared', 'busybox', 'sh', '-c', 'echo from-src > /shared/x']);
    assert.equal(await ok(['run', '--rm', '--volumes-from', 'src', 'busybox', 'cat', '/shared/x']), 'from-src');
    const ro = await d.docker(['run', '--rm', '--volumes-from', 'src:ro', 'busybox', 'touch', '/shared/y']);
    assert.notEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);
    // Through the API: the docker CLI takes any 404 from create for a missing image and tries a pull.
    const body = JSON.stringify({ Image: 'busybox', HostConfig: { VolumesFrom: ['ghost'] } });
    const nope = await d.api('POST', '/containers/create', body);
    assert.equal(nope.status, 404);
    assert.match(nope.body, /No such container: ghost/);
    await ok(['rm', 'src']);
    await ok(['volume', 'rm', 'shared']);
  });

  test('a tmpfs volume is mounted while used and unmounted after the last user stops', async () => {
    await ok(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=1m', 'tmpv']);
    const data = `${d.dataRoot}/volumes/tmpv/_data`;
    await ok(['run', '-d', '--name', 't1', '-v', 'tmpv:/t', 'busybox', 'sleep', '1000']);
    assert.ok(mounted(data));
    const df = await ok(['exec', 't1', 'df', '-k', '/t']);
    assert.match(df, /tmpfs\s+1024\s/);
    await ok(['run', '--rm', '-v', 'tmpv:/t', 'busybox', 'sh', '-c', 'echo x > /t/f']);
    assert.ok(mounted(data), 'still mounted while t1 runs');
    assert.equal(await ok(['exec', 't1', 'cat', '/t/f']), 'x');
    await ok(['rm', '-f', 't1']);
    assert.ok(!mounted(data));
    await ok(['volume', 'rm', 'tmpv']);
  });

  test('--mount type=volume with options and labels, and type=tmpfs, work', async () => {
    const out = await ok([
      'run',
      '--rm',
      '--mount',
      'type=volume,source=mv,target=/m,volume-label=team=x,volume-opt=type=tmpfs,volume-opt=device=tmpfs',
      '--mount',
      'type=tmpfs,target=/scratch,tmpfs-size=65536',
      'busybox',
      'sh',
      '-c',
      'df -k /m /scratch | tail -2',
    ]);
    assert.match(out, /tmpfs.*\/m\n.*tmpfs\s+64\s.*\/scratch/);
    assert.equal(await ok(['volume', 'inspect', '-f', '{{.Labels.team}} {{.Options.type}}', 'mv']), 'x tmpfs');
    await ok(['volume', 'rm', 'mv']);
  });

  test('system df -v lists volumes with their sizes, and prune removes unused ones', async () => {
    await ok(['run', '--rm', '-v', 'sized:/s', 'busybox', 'sh', '-c', 'head -c 20000 /dev/zero > /s/z']);
    await ok(['create', '--name', 'holder', '-v', 'held:/h', '-v', '/anon-held', 'busybox']);
    await ok(['run', '--name', 'gone', '-v', '/anon-free', 'busybox', 'true']);
    await ok(['rm', 'gone']);
    const df = await ok(['system', 'df', '-v']);
    assert.match(df, /sized\s+0\s+20kB/);
    assert.match(df, /held\s+1\s+0B/);
    // Prune (API 1.42+) removes unused anonymous volumes only, unless --all.
    const pruned = await ok(['volume', 'prune', '-f']);
    assert.match(pruned, /Total reclaimed space/);
    const left = await volumes();
    assert.ok(left.includes('sized') && left.includes('held'));
    const heldAnon = await d.inspect(
      '{{range .Mounts}}{{if eq .Destination "/anon-held"}}{{.Name}}{{end}}{{end}}',
      'holder',
    );
    assert.deepEqual(left.sort(), ['held', 'sized', heldAnon].sort(), 'the unused anonymous volume went');
    await ok(['volume', 'prune', '-af']);
    assert.deepEqual((await volumes()).sort(), ['held', heldAnon].sort());
    await ok(['rm', '-v', 'holder']);
    assert.deepEqual(await volumes(), ['held']);
    await ok(['volume', 'rm', 'held']);
    // Before API 1.42 prune took every unused volume, named ones too.
    await ok(['volume', 'create', 'old-client']);
    const old = await d.api('POST', '/v1.41/volumes/prune');
    assert.equal(old.status, 200);
    assert.deepEqual((JSON.parse(old.body) as { VolumesDeleted: string[] }).VolumesDeleted, ['old-client']);
  });

  test('volume events: create, mount, unmount and destroy, with the container and destination', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    await ok(['volume', 'create', 'ev']);
    await ok(['run', '--rm', '-v', 'ev:/e:ro', 'busybox', 'true']);
    await ok(['volume', 'rm', 'ev']);
    const until = String(Math.ceil(Date.now() / 1000) + 1);
    const format =
      '{{.Action}} {{.Actor.ID}} {{index .Actor.Attributes "destination"}} {{index .Actor.Attributes "read/write"}}';
    const lines = (
      await ok(['events', '--since', since, '--until', until, '--filter', 'type=volume', '--format', format])
    )
      .split('\n')
      .filter((l) => l.split(' ')[1] === 'ev');
    assert.deepEqual(
      lines.map((l) => l.trim()),
      ['create ev', 'mount ev /e false', 'unmount ev', 'destroy ev'],
    );
  });

  test('a running container keeps its tmpfs volume across a daemon crash, and releases it when stopped', async () => {
    await ok(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', 'rv']);
    const data = `${d.dataRoot}/volumes/rv/_data`;
    await ok([
      'run',
      '-d',
      '--name',
      'keeper',
      '-v',
      'rv:/r',
      'busybox',
      'sh',
      '-c',
      'echo alive > /r/f; exec sleep 1000',
    ]);
    await d.kill();
    await d.restart();
    assert.ok(mounted(data));
    assert.equal(await ok(['exec', 'keeper', 'cat', '/r/f']), 'alive');
    await ok(['rm', '-f', 'keeper']);
    assert.ok(!mounted(data));
    await ok(['volume', 'rm', 'rv']);
  });

  test('cp reads and writes the volumes and binds a container mounts, running or stopped, as Docker does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-cp-'));
    const bind = join(dir, 'bind');
    await mkdir(bind);
    await writeFile(join(dir, 'note'), 'kept\n');
    const mounts = ['-v', 'cpvol:/data', '-v', `${bind}:/srv`, '-v', 'cpro:/ro:ro'];
    await ok(['run', '-d', '--name', 'cp1', ...mounts, 'busybox', 'sleep', '1000']);
    await ok(['cp', join(dir, 'note'), 'cp1:/data/']);
    await ok(['cp', join(dir, 'note'), 'cp1:/srv/note']);
    assert.equal(await ok(['exec', 'cp1', 'cat', '/data/note', '/srv/note']), 'kept\nkept');
    assert.equal(await readFile(join(bind, 'note'), 'utf8'), 'kept\n', 'the bind source on the host has it');
    await ok(['exec', 'cp1', 'sh', '-c', 'echo made > /data/made']);
    await ok(['cp', 'cp1:/data/made', join(dir, 'made')]);
    assert.equal(await readFile(join(dir, 'made'), 'utf8'), 'made\n');
    const ro = await d.docker(['cp', join(dir, 'note'), 'cp1:/ro/']);
    assert.equal(ro.code, 1);
    assert.match(ro.stderr, /mounted volume is marked read-only/);
    await ok(['stop', '-t', '0', 'cp1']);
    await ok(['cp', join(dir, 'note'), 'cp1:/data/again']);
    assert.equal(await ok(['run', '--rm', '-v', 'cpvol:/v', 'busybox', 'cat', '/v/note', '/v/again']), 'kept\nkept');
    assert.doesNotMatch(await ok(['diff', 'cp1']), /note|again/, 'nothing landed in the writable layer');
    await ok(['rm', 'cp1']);
    await ok(['create', '--name', 'cp2', '--read-only', '-v', 'cpvol:/data', 'busybox', 'true']);
    const rootfs = await d.docker(['cp', join(dir, 'note'), 'cp2:/']);
    assert.equal(rootfs.code, 1);
    assert.match(rootfs.stderr, /container rootfs is marked read-only/);
    await ok(['cp', join(dir, 'note'), 'cp2:/data/third']);
    await ok(['rm', 'cp2']);
    await ok(['volume', 'rm', 'cpvol', 'cpro']);
    await rm(dir, { recursive: true, force: true });
  });

  test('cp of a directory shows the volumes, binds and bound files mounted under it; export does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-cpdir-'));
    await mkdir(join(dir, 'bind'));
    await writeFile(join(dir, 'bind', 'b.txt'), 'bound\n');
    await writeFile(join(dir, 'file.txt'), 'a file\n');
    const mounts = ['-v', 'cpdir:/srv/vol', '-v', `${join(dir, 'bind')}:/srv/bind`];
    const file = ['-v', `${join(dir, 'file.txt')}:/srv/f.txt:ro`];
    const script = 'echo in-volume > /srv/vol/v.txt; mkdir /srv/own; echo own > /srv/own/o.txt; exec sleep 1000';
    await ok(['run', '-d', '--name', 'cpd', ...mounts, ...file, 'busybox', 'sh', '-c', script]);
    assert.equal(await ok(['exec', 'cpd', 'cat', '/srv/f.txt']), 'a file', 'a file is bound as a file');
    /** The member names of the tar a docker command writes to stdout. */
    const listing = async (args: string[]) => {
      const pipeline = `set -o pipefail; /usr/local/bin/docker ${args.join(' ')} | tar tf -`;
      const { stdout } = await run('bash', ['-c', pipeline], { env: d.env });
      return stdout.split('\n').filter(Boolean).sort();
    };
    const expected = [
      'srv/',
      'srv/bind/',
      'srv/bind/b.txt',
      'srv/f.txt',
      'srv/own/',
      'srv/own/o.txt',
      'srv/vol/',
      'srv/vol/v.txt',
    ];
    assert.deepEqual(await listing(['cp', 'cpd:/srv', '-']), expected);
    const whole = await listing(['cp', 'cpd:/', '-']);
    for (const e of expected) assert.ok(whole.includes(`./${e}`), `cp of / has ./${e}`);
    await ok(['stop', '-t', '0', 'cpd']);
    assert.deepEqual(await listing(['cp', 'cpd:/srv', '-']), expected, 'a stopped container shows them too');
    const exported = await listing(['export', 'cpd']);
    assert.ok(exported.includes('./srv/own/o.txt'));
    assert.ok(!exported.includes('./srv/vol/v.txt') && !exported.includes('./srv/bind/b.txt'), 'export has no volumes');
    await ok(['rm', 'cpd']);
    await ok(['volume', 'rm', 'cpdir']);
    await rm(dir, { recursive: true, force: true });
  });

  test("berth's own volume commands and run -v / --mount work against berthd", async () => {
    const b = async (args: string[]) => {
      const r = await d.berth(args);
      assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    assert.equal(await b(['volume', 'create', '--label', 'x=1', 'bv']), 'bv');
    assert.match(await b(['volume', 'ls']), /DRIVER\s+VOLUME NAME\nlocal\s+bv/);
    assert.equal(await b(['volume', 'ls', '-q', '--filter', 'label=x=1']), 'bv');
    assert.equal(await b(['volume', 'inspect', '-f', '{{.Name}} {{.Labels.x}}', 'bv']), 'bv 1');
    assert.equal(await b(['run', '--rm', '-v', 'bv:/d', 'busybox', 'sh', '-c', 'echo hi > /d/f; cat /d/f']), 'hi');
    assert.equal(
      await b(['run', '--rm', '--mount', 'type=volume,src=bv,dst=/d,readonly', 'busybox', 'cat', '/d/f']),
      'hi',
    );
    const bad = await d.berth(['run', '--rm', '--mount', 'type=volume,dst=/d,colour=red', 'busybox', 'true']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unexpected key 'colour'/);
    const rm = await d.berth(['volume', 'rm', 'bv', 'nope']);
    assert.equal(rm.code, 1);
    assert.equal(rm.stdout, 'bv\n');
    assert.match(rm.stderr, /get nope: no such volume/);
    await b(['create', '--name', 'anon-user', '-v', '/anon', 'busybox']);
    await b(['rm', 'anon-user']);
    assert.match(await b(['volume', 'prune', '-f']), /Deleted Volumes:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B/);
  });
});
