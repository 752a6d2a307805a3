/**
 * COPY and ADD: sources from the context, an earlier stage or an image
 * (`--from`), inline heredoc files, and for ADD remote URLs and local tar
 * archives. The cache key covers the sources' content (context files), the
 * source image's ID (`--from`: images are immutable) or the bytes (URLs,
 * heredocs); the step then writes into the step's filesystem.
 */
import { chmod as chmodFile, lchown, lstat, readdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { BerthError, digestHex, invalidArgument, sha256 } from '../kernel/index.js';
import { resolveInRoot, resolveUser } from '../runtime/index.js';
import { download, isTarArchive, isUrl, unpackArchiveInto } from './add-sources.js';
import { defaults, expansionEnv, nopCreatedBy, type StageState } from './build-state.js';
import { lstatOrUndefined, resolveSources, type ExcludeFn } from './copy-sources.js';
import { copyEntry, ensureDir, type CopyOwnership } from './copy-tree.js';
import type { BuildDeps, BuildImage } from './deps.js';
import { expandWord, type AddInstruction, type CopyInstruction } from './dockerfile/index.js';
import { hashSources, type FileHashMemo } from './source-hash.js';
import type { StepPlan } from './step-plan.js';
import { withImageRootfs } from './step-rootfs.js';

export interface CopyContext {
  deps: BuildDeps;
  contextDir: string;
  exclude: ExcludeFn;
  memo: FileHashMemo;
  /** An earlier stage's image or a stored (or pulled) one, for `--from`. */
  resolveFrom(name: string): Promise<BuildImage>;
  /** Per-build scratch directory (downloads, unpacking). */
  scratch: string;
  signal?: AbortSignal;
}

/** One thing to put into the image. */
type Item =
  | {
      kind: 'tree';
      root: string;
      rel: string;
      isDir: boolean;
      exclude: ExcludeFn;
      /** The name in the image, when not the source's (a download's name from its URL). */
      name?: string;
    }
  | { kind: 'inline'; name: string; content: string }
  | { kind: 'archive'; path: string };

export async function planCopy(
  state: StageState,
  i: CopyInstruction | AddInstruction,
  ctx: CopyContext,
): Promise<StepPlan> {
  const name = i.kind === 'copy' ? 'COPY' : 'ADD';
  if (i.exclude.length > 0 || (i.kind === 'copy' && i.parents)) {
    throw new BerthError(
      'not-implemented',
      `line ${i.line}: ${name} --exclude and --parents need BuildKit; berth's classic builder does not support them`,
    );
  }
  const env = expansionEnv(state);
  const ex = (w: string) => expandWord(w, env, { escape: state.escape });
  const dest = ex(i.dest);
  const destAbs = posix.resolve(defaults(state).WorkingDir || '/', dest);
  const destIsDir = dest.endsWith('/') || dest === '.' || dest.endsWith('/.');
  const chown = i.chown === undefined ? undefined : ex(i.chown);
  const mode = i.chmod === undefined ? undefined : parseChmod(ex(i.chmod));
  const from = i.kind === 'copy' && i.from !== undefined ? await ctx.resolveFrom(ex(i.from)) : undefined;
  const sources = await collectSources(i, ex, ctx, from);
  if (sources.count > 1 && !destIsDir) {
    throw invalidArgument(
      `When using ${name} with more than one source file, the destination must be a directory and end with a /`,
    );
  }
  return {
    createdBy: nopCreatedBy(state, `${name} ${sources.hashName} in ${dest} `, 'single'),
    cacheExtra: sources.hash,
    run: async (step) => {
      const own: CopyOwnership = {
        ...(chown === undefined ? { uid: 0, gid: 0 } : await resolveOwner(step.rootfs, chown)),
        ...(mode === undefined ? {} : { mode }),
      };
      const place = (items: Item[]) =>
        placeItems(step.rootfs, items, { destAbs, destIsDir, own, chowned: chown !== undefined, scratch: ctx.scratch });
      if (from) await withImageRootfs(ctx.deps, from, async (root) => place(await sources.items(root)));
      else await place(await sources.items(ctx.contextDir));
    },
  };
}

interface Sources {
  count: number;
  hash: string;
  /** Docker's `file:<hash>` / `dir:<hash>` / `multi:<hash>` label. */
  hashName: string;
  /** The items, given the root the paths are in (the context, or the --from image mounted). */
  items(root: string): Promise<Item[]>;
}

async function collectSources(
  i: CopyInstruction | AddInstruction,
  ex: (w: string) => string,
  ctx: CopyContext,
  from: BuildImage | undefined,
): Promise<Sources> {
  const parts: string[] = [];
  const makers: ((root: string) => Promise<Item[]>)[] = [];
  let count = 0;
  let single: 'file' | 'dir' = 'file';
  for (const source of i.sources) {
    if (source.kind === 'heredoc') {
      const content = source.heredoc.expand ? ex(source.heredoc.content) : source.heredoc.content;
      parts.push(`inline:${source.heredoc.name}:${sha256(content)}`);
      makers.push(() => Promise.resolve([{ kind: 'inline', name: source.heredoc.name, content }]));
      count++;
      continue;
    }
    const path = ex(source.path);
    if (i.kind === 'add' && isUrl(path)) {
      const got = await download(
        path,
        join(ctx.scratch, 'downloads'),
        i.checksum === undefined ? undefined : ex(i.checksum),
        ctx.signal,
      );
      parts.push(`url:${got.name}:${got.digest}`);
      makers.push(() =>
        Promise.resolve([
          {
            kind: 'tree',
            root: posix.dirname(got.path),
            rel: posix.basename(got.path),
            isDir: false,
            exclude: () => false,
            name: got.name,
          },
        ]),
      );
      count++;
      continue;
    }
    if (from) {
      parts.push(`from:${from.id}:${path}`);
      makers.push(async (root) => imageItems(root, path));
      count += 1;
      continue;
    }
    const found = await resolveSources(ctx.contextDir, path, ctx.exclude, i.kind === 'copy' ? 'COPY' : 'ADD');
    count += found.length;
    if (found.length === 1 && found[0]!.isDir) single = 'dir';
    parts.push(await hashSources(ctx.contextDir, found, ctx.exclude, ctx.memo));
    const archives = i.kind === 'add';
    makers.push(async (root) => {
      const items: Item[] = [];
      for (const f of found) {
        if (archives && !f.isDir && (await isTarArchive(join(root, f.rel))))
          items.push({ kind: 'archive', path: join(root, f.rel) });
        else items.push({ kind: 'tree', root, rel: f.rel, isDir: f.isDir, exclude: ctx.exclude });
      }
      return items;
    });
  }
  const hash = sha256(parts.join('\n'));
  const kind = count > 1 ? 'multi' : single;
  return {
    count,
    hash,
    hashName: `${kind}:${digestHex(hash)}`,
    items: async (root) => (await Promise.all(makers.map((m) => m(root)))).flat(),
  };
}

/** A `--from` source: a path in the image, resolved inside it (never out through a symlink). */
async function imageItems(root: string, path: string): Promise<Item[]> {
  const host = await resolveInRoot(root, posix.resolve('/', path));
  const st = await lstatOrUndefined(host);
  if (!st) throw invalidArgument(`COPY failed: stat ${path}: file does not exist`);
  return [
    {
      kind: 'tree',
      root: posix.dirname(host),
      rel: posix.basename(host),
      isDir: st.isDirectory(),
      exclude: () => false,
    },
  ];
}

interface Placement {
  destAbs: string;
  destIsDir: boolean;
  own: CopyOwnership;
  chowned: boolean;
  scratch: string;
}

async function placeItems(rootfs: string, items: Item[], p: Placement): Promise<void> {
  for (const item of items) {
    if (item.kind === 'archive') {
      await unpackArchiveInto(item.path, await ensureDir(rootfs, p.destAbs, p.own), p.scratch, p.own, p.chowned);
      continue;
    }
    if (item.kind === 'tree' && item.isDir) {
      const dirHost = await ensureDir(rootfs, p.destAbs, p.own);
      for (const child of await readdir(join(item.root, item.rel), { withFileTypes: true })) {
        const rel = item.rel === '' ? child.name : `${item.rel}/${child.name}`;
        if (item.exclude(rel, child.isDirectory())) continue;
        await copyEntry(join(item.root, rel), rel, join(dirHost, child.name), p.own, item.exclude);
      }
      continue;
    }
    const baseName = item.kind === 'inline' ? item.name : (item.name ?? posix.basename(item.rel));
    const target = await fileTarget(rootfs, p, baseName);
    const parentHost = await ensureDir(rootfs, posix.dirname(target), p.own);
    const hostPath = join(parentHost, posix.basename(target));
    if (item.kind === 'inline') await writeInline(hostPath, item.content, p.own);
    else await copyEntry(join(item.root, item.rel), item.rel, hostPath, p.own, item.exclude);
  }
}

/** A file goes into the destination when it is a directory (by a trailing `/` or in the image), else becomes it. */
async function fileTarget(rootfs: string, p: Placement, name: string): Promise<string> {
  if (p.destIsDir) return posix.join(p.destAbs, name);
  const existing = await lstat(await resolveInRoot(rootfs, p.destAbs)).catch(() => undefined);
  return existing?.isDirectory() ? posix.join(p.destAbs, name) : p.destAbs;
}

async function writeInline(hostPath: string, content: string, own: CopyOwnership): Promise<void> {
  await writeFile(hostPath, content, { mode: 0o644 });
  await lchown(hostPath, own.uid, own.gid);
  await chmodFile(hostPath, own.mode ?? 0o644);
}

/** `--chown=user[:group]`, names looked up in the image's /etc/passwd and /etc/group. */
async function resolveOwner(rootfs: string, chown: string): Promise<{ uid: number; gid: number }> {
  const [user = '', group] = chown.split(':');
  if (group !== undefined) return resolveUser(rootfs, `${user}:${group}`);
  // Docker's classic builder takes the group of the same name (numeric: the same number).
  try {
    return await resolveUser(rootfs, `${user}:${user}`);
  } catch {
    return resolveUser(rootfs, user);
  }
}

function parseChmod(mode: string): number {
  if (!/^[0-7]{3,4}$/.test(mode)) throw invalidArgument(`invalid chmod parameter: ${mode}`);
  return parseInt(mode, 8);
}
