import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the Debian rootfs is kept between runs: building it takes minutes and Debian's mirror. */
const CACHE_DIR = process.env.BERTH_TEST_CACHE ?? '/var/tmp/berth-test-cache';
const MIRROR = process.env.BERTH_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/**
 * A tar of Debian bookworm (minbase) with PostgreSQL 15, made with
 * debootstrap once and cached; the path of the tar is returned.
 */
export async function postgresRootfsTar(): Promise<string> {
  const tar = join(CACHE_DIR, 'bookworm-postgresql-15.tar');
  try {
    await access(tar);
    return tar;
  } catch {
    // Not cached yet: build it below.
  }
  await mkdir(CACHE_DIR, { recursive: true });
  const work = await mkdtemp(join(CACHE_DIR, 'build-'));
  try {
    const rootfs = join(work, 'rootfs');
    const debootstrap = ['--variant=minbase', '--include=postgresql-15', 'bookworm', rootfs, MIRROR];
    await run('/usr/sbin/debootstrap', debootstrap, { maxBuffer: 64 * 1024 * 1024 });
    // The downloaded packages and index files are half the size and no use in the image.
    await run('/bin/sh', ['-c', 'rm -rf var/cache/apt/archives/*.deb var/lib/apt/lists/*'], { cwd: rootfs });
    await run('/usr/bin/tar', ['-C', rootfs, '--numeric-owner', '--xattrs', '-cf', join(work, 'rootfs.tar'), '.']);
    await rename(join(work, 'rootfs.tar'), tar);
    return tar;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
