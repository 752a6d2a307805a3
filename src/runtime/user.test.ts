import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveUser } from './user.js';

let root: string;
let rootfs: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'berth-user-'));
  rootfs = path.join(root, 'rootfs');
  await mkdir(path.join(rootfs, 'etc'), { recursive: true });
  await writeFile(
    path.join(rootfs, 'etc/passwd'),
    ['root:x:0:0:root:/root:/bin/sh', '# comment', 'app:x:1000:1000::/home/app:/bin/sh', 'broken:x:zz:1::/:', ''].join(
      '\n',
    ),
  );
  await writeFile(
    path.join(rootfs, 'etc/group'),
    ['root:x:0:root', 'wheel:x:10:root,app', 'app:x:1000:', 'staff:x:50:app', 'video:x:44:'].join('\n'),
  );
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('user strings resolve as Docker resolves them', async () => {
  const cases: { user: string; want: object }[] = [
    { user: '', want: { uid: 0, gid: 0, additionalGids: [0, 10], home: '/root' } },
    { user: 'app', want: { uid: 1000, gid: 1000, additionalGids: [10, 50], home: '/home/app' } },
    { user: '1000', want: { uid: 1000, gid: 1000, additionalGids: [10, 50], home: '/home/app' } },
    { user: 'app:video', want: { uid: 1000, gid: 44, additionalGids: [], home: '/home/app' } },
    { user: '4242', want: { uid: 4242, gid: 0, additionalGids: [], home: '/' } },
    { user: '4242:4343', want: { uid: 4242, gid: 4343, additionalGids: [], home: '/' } },
    { user: 'root:50', want: { uid: 0, gid: 50, additionalGids: [], home: '/root' } },
  ];
  for (const { user, want } of cases) assert.deepEqual(await resolveUser(rootfs, user), want, JSON.stringify(user));
});

test('--group-add adds groups by name or id after the memberships', async () => {
  const got = await resolveUser(rootfs, 'app', { groupAdd: ['video', '777', 'staff'] });
  assert.deepEqual(got.additionalGids, [10, 50, 44, 777]);
});

test('unknown names fail with Docker wording', async () => {
  await assert.rejects(resolveUser(rootfs, 'xyz'), {
    kind: 'invalid-argument',
    message: 'unable to find user xyz: no matching entries in passwd file',
  });
  await assert.rejects(resolveUser(rootfs, 'app:nogroup'), {
    message: 'unable to find group nogroup: no matching entries in group file',
  });
  await assert.rejects(resolveUser(rootfs, '99999999999'), { message: /must be in range/ });
});

test('a rootfs without passwd still accepts numeric users', async () => {
  const empty = path.join(root, 'empty');
  await mkdir(empty);
  assert.deepEqual(await resolveUser(empty, '5:6'), { uid: 5, gid: 6, additionalGids: [], home: '/' });
  await assert.rejects(resolveUser(empty, 'app'), { kind: 'invalid-argument' });
});

test('symlinks in the rootfs resolve inside it, never to the host', async () => {
  const evil = path.join(root, 'evil');
  await mkdir(path.join(evil, 'etc'), { recursive: true });
  await mkdir(path.join(evil, 'real'), { recursive: true });
  // An absolute link and a climbing relative link both stay inside the rootfs.
  await symlink('/real/passwd', path.join(evil, 'etc/passwd'));
  await writeFile(path.join(evil, 'real/passwd'), 'inside:x:7:7::/in:/bin/sh\n');
  await symlink('../../../../../../real/group', path.join(evil, 'etc/group'));
  await writeFile(path.join(evil, 'real/group'), 'insiders:x:8:inside\n');
  const got = await resolveUser(evil, 'inside');
  assert.deepEqual(got, { uid: 7, gid: 7, additionalGids: [8], home: '/in' });
});

test('a symlink loop in the rootfs is reported, not followed forever', async () => {
  const loop = path.join(root, 'loop');
  await mkdir(path.join(loop, 'etc'), { recursive: true });
  await symlink('/etc/passwd', path.join(loop, 'etc/passwd'));
  await assert.rejects(resolveUser(loop, 'x'), { message: 'too many levels of symbolic links resolving /etc/passwd' });
});

test('a passwd that is not a regular file is refused', async () => {
  const dir = path.join(root, 'dirpasswd');
  await mkdir(path.join(dir, 'etc/passwd'), { recursive: true });
  await assert.rejects(resolveUser(dir, 'x'), { message: '/etc/passwd in the container is not a regular file' });
});
