import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmod,
  chown,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { lgetxattr, lsetxattr } from '../kernel/index.js';
import { copyUp } from './copy-up.js';
import { directorySize } from './disk-usage.js';

let root: string;
let source: string;
let target: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'copy-up-'));
  source = join(root, 'src');
  target = join(root, 'dst');
  await mkdir(join(source, 'sub'), { recursive: true });
  await mkdir(target);
  await writeFile(join(source, 'sub', 'data'), 'rows\n');
  await chown(join(source, 'sub', 'data'), 999, 998);
  await chmod(join(source, 'sub', 'data'), 0o4750);
  await chown(join(source, 'sub'), 999, 998);
  await chmod(join(source, 'sub'), 0o700);
  await symlink('sub/data', join(source, 'link'));
  await link(join(source, 'sub', 'data'), join(source, 'hard'));
  execFileSync('/usr/bin/mkfifo', [join(source, 'pipe')]);
  lsetxattr(join(source, 'sub', 'data'), 'user.origin', Buffer.from('image'));
  await chown(source, 70, 70);
  await chmod(source, 0o750);
  await copyUp(source, target);
});
after(() => rm(root, { recursive: true, force: true }));

test('copy-up keeps owners and modes, set-id bits included, of files, directories and the root', async () => {
  const checks: [string, number, number, number][] = [
    ['', 70, 70, 0o750],
    ['sub', 999, 998, 0o700],
    ['sub/data', 999, 998, 0o4750],
  ];
  for (const [path, uid, gid, mode] of checks) {
    const st = await lstat(join(target, path));
    assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [uid, gid, mode], path);
  }
  assert.equal(await readFile(join(target, 'sub', 'data'), 'utf8'), 'rows\n');
});

test('copy-up keeps symlinks, hard links, FIFOs and extended attributes', async () => {
  assert.equal(await readlink(join(target, 'link')), 'sub/data');
  assert.equal((await lstat(join(target, 'hard'))).ino, (await lstat(join(target, 'sub', 'data'))).ino);
  assert.ok((await lstat(join(target, 'pipe'))).isFIFO());
  assert.equal(lgetxattr(join(target, 'sub', 'data'), 'user.origin')?.toString(), 'image');
});

test('a volume size counts hard-linked files once, and symlinks by their own size, as Docker does', async () => {
  assert.equal(await directorySize(target), 'rows\n'.length + 'sub/data'.length);
  assert.equal(await directorySize(join(root, 'absent')), 0);
});
