/**
 * The build context as the docker CLI sends it: the directory as a tar,
 * streamed (never held in memory), without what `.dockerignore` excludes,
 * every entry owned by root. A Dockerfile outside the context is added
 * under a generated name, as docker does.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { createIgnoreMatcher, parseDockerignore, type IgnoreMatcher } from '../build/dockerignore/index.js';
import { isErrno, notFound } from '../kernel/index.js';

export interface PackedContext {
  tar: Readable;
  /** The Dockerfile's path inside the tar. */
  dockerfile: string;
}

/** Packs `dir` (and the Dockerfile `file`, default `dir/Dockerfile`). */
export async function packContext(dir: string, file?: string): Promise<PackedContext> {
  const root = resolve(dir);
  const st = await lstat(root).catch(() => undefined);
  if (!st?.isDirectory()) throw notFound(`unable to prepare context: path "${dir}" not found`);
  const dockerfilePath = resolve(file ?? join(root, 'Dockerfile'));
  const inside = dockerfilePath.startsWith(root + sep);
  const dockerfile = inside
    ? relative(root, dockerfilePath).split(sep).join('/')
    : `.dockerfile.${randomBytes(10).toString('hex')}`;
  const outside = inside
    ? undefined
    : await readFile(dockerfilePath).catch((e: unknown) => {
        if (isErrno(e, 'ENOENT'))
          throw notFound(
            `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dockerfilePath}: no such file or directory`,
          );
        throw e;
      });
  const ignore = await readFile(join(root, '.dockerignore'), 'utf8').catch(() => '');
  const matcher = createIgnoreMatcher(parseDockerignore(ignore), { keep: [dockerfile, '.dockerignore'] });
  const pack = tarPack();
  void (async () => {
    try {
      await addDir(pack, root, '', matcher);
      if (outside) pack.entry({ name: dockerfile, mode: 0o600, uid: 0, gid: 0 }, outside);
      pack.finalize();
    } catch (e) {
      pack.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  // tar-stream's streams are streamx streams; the client wants a Node stream.
  return { tar: Readable.from(pack), dockerfile };
}

async function addDir(pack: Pack, root: string, rel: string, matcher: IgnoreMatcher): Promise<void> {
  const entries = (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const isDir = entry.isDirectory();
    const excluded = matcher.matches(child);
    if (excluded && (!isDir || matcher.canSkipDir(child))) continue;
    const abs = join(root, child);
    const st = await lstat(abs);
    const header = { name: child, mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0 };
    if (isDir) {
      if (!excluded) await write(pack, { ...header, type: 'directory' });
      await addDir(pack, root, child, matcher);
    } else if (st.isSymbolicLink()) {
      await write(pack, { ...header, type: 'symlink', linkname: await readlink(abs) });
    } else if (st.isFile()) {
      const stream = pack.entry({ ...header, type: 'file', size: st.size });
      await pipeline(createReadStream(abs), stream);
    }
  }
}

function write(pack: Pack, header: Partial<Header> & Pick<Header, 'name'>): Promise<void> {
  return new Promise((res, rej) => pack.entry(header, (e) => (e ? rej(e) : res())));
}
