import { execFileSync } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { packTar, type FileSpec } from './images.js';

/**
 * A rootfs with busybox and Debian's sqlite3 (the host's `/usr/bin/sqlite3`)
 * with the shared libraries `ldd` names, each at the path the loader looks
 * in: a real database engine in a 4 MB image, built offline in a moment.
 */
export async function sqliteRootfs(): Promise<Buffer> {
  const applets = execFileSync('/bin/busybox', ['--list'])
    .toString()
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  const files = ['/usr/bin/sqlite3', ...sharedLibraries('/usr/bin/sqlite3')];
  const dirs = new Set<string>(['bin', 'etc', 'tmp']);
  for (const f of files) {
    for (let d = dirname(f).slice(1); d !== '' && d !== '.'; d = dirname(d)) dirs.add(d);
  }
  const entries: FileSpec[] = [
    ...[...dirs].sort().map((name) => ({ name, type: 'directory' as const })),
    { name: 'bin/busybox', content: await readFile('/bin/busybox'), mode: 0o755 },
    ...applets.map((a) => ({ name: `bin/${a}`, type: 'symlink' as const, target: 'busybox' })),
    { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
  ];
  for (const f of files) {
    entries.push({ name: f.slice(1), content: await readFile(await realpath(f)), mode: 0o755 });
  }
  return packTar(entries);
}

/** The absolute paths `ldd` prints for a binary, the loader included. */
function sharedLibraries(binary: string): string[] {
  return execFileSync('/usr/bin/ldd', [binary])
    .toString()
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}
