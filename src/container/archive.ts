import { spawn } from 'node:child_process';
import type { Stats } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { extract as tarExtract, pack as tarPack, type Pack } from 'tar-stream';
import { extractLayer, openDecompressed } from '../archive/index.js';
import { BerthError, invalidArgument, isErrno, notFound } from '../kernel/index.js';
import { resolveParts } from '../runtime/index.js';

/** What `HEAD/GET /containers/{id}/archive` reports about a path (`X-Docker-Container-Path-Stat`). */
export interface PathStat {
  name: string;
  size: number;
  /** Go's os.FileMode bits, which the docker CLI decodes. */
  mode: number;
  mtime: string;
  linkTarget: string;
}

// Go os.FileMode type bits (the docker CLI compares against these).
const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  pipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  char: 2 ** 21,
  sticky: 2 ** 20,
};

/** A host directory mounted over a container path. */
export interface ViewMount {
  destination: string;
  source: string;
  readOnly: boolean;
}

/**
 * A container's files as `docker cp` sees them, as in Docker: the root
 * filesystem with the container's volumes and bind mounts over it (its
 * tmpfs mounts are not part of it).
 */
export interface FsView {
  rootfs: string;
  mounts: readonly ViewMount[];
  readOnlyRootfs: boolean;
}

/** The innermost mount that holds a container path (given as components). */
function mountOf(view: FsView, parts: readonly string[]): { mount: ViewMount; rest: string[] } | undefined {
  let best: { mount: ViewMount; depth: number } | undefined;
  for (const mount of view.mounts) {
    const dest = mount.destination.split('/').filter((p) => p !== '');
    if (dest.length > parts.length || !dest.every((p, i) => parts[i] === p)) continue;
    // The deepest wins; of two at the same destination, the later (as the runtime mounts them).
    if (best === undefined || dest.length >= best.depth) best = { mount, depth: dest.length };
  }
  return best && { mount: best.mount, rest: parts.slice(best.depth) };
}

function hostPathOf(view: FsView, parts: readonly string[]): string {
  const inMount = mountOf(view, parts);
  return inMount ? join(inMount.mount.source, ...inMount.rest) : join(view.rootfs, ...parts);
}

/**
 * Resolves a container path to a host path in the view: every symlink on
 * the way is followed inside it, never out of it. The last component is
 * followed only with `followLast`; `docker cp` copies a link as a link, as
 * Docker does unless the path ends in `/.`.
 */
async function locate(
  view: FsView,
  containerPath: string,
  followLast = containerPath.endsWith('/.'),
): Promise<{ host: string; parts: string[] }> {
  if (!posix.isAbsolute(containerPath)) throw invalidArgument(`path must be absolute: ${containerPath}`);
  const normal = posix.normalize(containerPath);
  const resolve = (p: string) => resolveParts((parts) => hostPathOf(view, parts), p);
  const parts =
    followLast || normal === '/'
      ? await resolve(normal)
      : [...(await resolve(posix.dirname(normal))), posix.basename(normal)];
  return { host: hostPathOf(view, parts), parts };
}

/** A container path located in the view and lstat'ed there; a missing one is Docker's not-found. */
async function lstatIn(view: FsView, containerPath: string): Promise<{ host: string; parts: string[]; st: Stats }> {
  const located = await locate(view, containerPath);
  const st = await lstat(located.host).catch((e: unknown) => {
    throw isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')
      ? notFound(`Could not find the file ${containerPath} in container`)
      : e;
  });
  return { ...located, st };
}

export async function statPath(view: FsView, containerPath: string): Promise<PathStat> {
  const { host: path, st } = await lstatIn(view, containerPath);
  let mode = st.mode & 0o777;
  if (st.isDirectory()) mode += GO_MODE.dir;
  if (st.isSymbolicLink()) mode += GO_MODE.symlink;
  if (st.isFIFO()) mode += GO_MODE.pipe;
  if (st.isSocket()) mode += GO_MODE.socket;
  if (st.isBlockDevice()) mode += GO_MODE.device;
  if (st.isCharacterDevice()) mode += GO_MODE.device + GO_MODE.char;
  if (st.mode & 0o4000) mode += GO_MODE.setuid;
  if (st.mode & 0o2000) mode += GO_MODE.setgid;
  if (st.mode & 0o1000) mode += GO_MODE.sticky;
  return {
    name: basename(containerPath) || '/',
    size: st.size,
    mode,
    mtime: st.mtime.toISOString(),
    linkTarget: st.isSymbolicLink() ? await readlink(path) : '',
  };
}

/**
 * A tar of one path (`docker cp` out): entries named from the path's base
 * name, symlinks stored as links, never followed. GNU tar reads; nothing
 * is written on the host. A directory with volumes or binds mounted under
 * it shows each mount's files at its mount point, as in the container.
 */
export async function archivePath(view: FsView, containerPath: string): Promise<Readable> {
  const { host: path, parts, st } = await lstatIn(view, containerPath);
  // `dir/.` (and `/`) means the directory's contents; anything else the entry itself.
  const contents = containerPath.endsWith('/.') || posix.normalize(containerPath) === '/';
  const [cwd, name] = contents ? [path, '.'] : [dirname(path), basename(path)];
  const under = st.isDirectory() ? mountsUnder(view, parts) : [];
  if (under.length === 0) return gnuTar(containerPath, cwd, name);
  // One tar per source, each without the mount points under it, merged into one archive.
  const sources: TarPart[] = [{ cwd, name, excluded: under.map((m) => `${name}/${m.rel}`) }];
  for (const m of under) {
    const renamed = `${name}/${m.rel}`;
    if (!(await lstat(m.mount.source)).isDirectory()) {
      // A bind-mounted file: its one member takes the mount point's name.
      sources.push({ cwd: dirname(m.mount.source), name: basename(m.mount.source), excluded: [], renamed });
      continue;
    }
    const nested = under.filter((x) => x.rel.startsWith(`${m.rel}/`));
    sources.push({
      cwd: m.mount.source,
      name: '.',
      excluded: nested.map((x) => `./${x.rel.slice(m.rel.length + 1)}`),
      renamed,
    });
  }
  return mergeTars(sources.map((p) => () => gnuTar(containerPath, p.cwd, p.name, p)));
}

/** The mounts strictly under a container directory, with their paths relative to it. */
function mountsUnder(view: FsView, parts: readonly string[]): { mount: ViewMount; rel: string }[] {
  return view.mounts.flatMap((mount) => {
    const dest = mount.destination.split('/').filter((p) => p !== '');
    if (dest.length <= parts.length || !parts.every((p, i) => dest[i] === p)) return [];
    return [{ mount, rel: dest.slice(parts.length).join('/') }];
  });
}

/** One source of a merged archive: members to leave out, and the name its root takes. */
interface TarPart {
  cwd: string;
  name: string;
  excluded: readonly string[];
  renamed?: string;
}

/** GNU tar of `name` under `cwd`, as a stream; a failure ends the stream with one clear error. */
function gnuTar(containerPath: string, cwd: string, name: string, part?: TarPart): Readable {
  const args = ['--numeric-owner', '--xattrs', '-C', cwd, '-cf', '-'];
  if (part?.excluded.length) {
    args.push('--anchored', '--no-wildcards', ...part.excluded.map((x) => `--exclude=${x}`));
  }
  if (part?.renamed !== undefined) args.push(`--transform=${renameRoot(part.name, part.renamed)}`);
  const child = spawn('tar', [...args, '--', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.on('close', (code) => {
    if (code !== 0) child.stdout.destroy(new BerthError('internal', `archiving ${containerPath}: ${stderr.trim()}`));
  });
  return child.stdout;
}

/**
 * A GNU tar transform naming the archived root `to`: `.` and `./…` become
 * `to` and `to/…`, and a single file's one member becomes `to`. Member and
 * hard link names change, symlink targets (content) do not.
 */
function renameRoot(from: string, to: string): string {
  const delimiter = [...',|#@!%:;'].find((c) => !to.includes(c));
  if (delimiter === undefined || to.includes('\n')) {
    throw invalidArgument(`cannot archive a mount point named ${JSON.stringify(to)}`);
  }
  const pattern = from === '.' ? '^\\.' : '.*';
  return `s${delimiter}${pattern}${delimiter}${to.replace(/[\\&]/g, '\\$&')}${delimiter}S`;
}

/** The entries of several tar streams, in order, as one archive. */
function mergeTars(sources: (() => Readable)[]): Readable {
  const pack = tarPack();
  copyEntries(pack, sources).then(
    () => pack.finalize(),
    (e: unknown) => pack.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  // tar-stream's streams are streamx streams; callers get a Node stream.
  return Readable.from(pack);
}

async function copyEntries(pack: Pack, sources: (() => Readable)[]): Promise<void> {
  for (const source of sources) {
    const extract = tarExtract();
    const input = source();
    input.on('error', (e: Error) => extract.destroy(e));
    input.pipe(extract);
    for await (const entry of extract) {
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry(entry.header, (err) => (err ? reject(err) : resolve()));
        entry.on('error', reject);
        entry.pipe(sink);
      });
    }
  }
}

/** A tar of the whole root filesystem (`docker export`). */
export function exportRootfs(rootfs: string): Promise<Readable> {
  return archivePath({ rootfs, mounts: [], readOnlyRootfs: false }, '/.');
}

/**
 * Extracts a tar into a container directory (`docker cp` in). The same
 * safe extraction as image layers: nothing lands outside the directory,
 * whatever the archive's names and links say.
 */
export async function extractInto(
  view: FsView,
  containerPath: string,
  body: Readable,
  signal?: AbortSignal,
): Promise<void> {
  const { host: dir, parts } = await locate(view, containerPath, true);
  const st = await lstat(dir).catch(() => undefined);
  if (!st) throw notFound(`Could not find the file ${containerPath} in container`);
  if (!st.isDirectory()) throw invalidArgument(`extraction point is not a directory: ${containerPath}`);
  // Docker's checks, in its words: a read-only volume, or a read-only rootfs outside every volume.
  const inMount = mountOf(view, parts);
  if (inMount?.mount.readOnly === true) throw invalidArgument('mounted volume is marked read-only');
  if (inMount === undefined && view.readOnlyRootfs) throw invalidArgument('container rootfs is marked read-only');
  const { stream } = await openDecompressed(body);
  await extractLayer(stream, dir, { signal });
}
