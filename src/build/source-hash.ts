/**
 * The content hash of COPY/ADD sources, for the step's cache key. Docker's
 * classic builder reads every byte of every source on every build; berth
 * remembers each file's hash under (path, size, mtime, mode, owner) and only
 * reads files whose metadata changed. The context is unpacked afresh each
 * build with the client's mtimes, so an untouched file meets its old entry.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import { newDigester, type Digest } from '../kernel/index.js';
import type { ContextSource, ExcludeFn } from './copy-sources.js';

/** Entries kept; past this the oldest half is dropped (a few MB of strings at most). */
const MEMO_LIMIT = 200_000;

/** File content hashes by metadata, shared by every build of a daemon. */
export class FileHashMemo {
  private readonly hashes = new Map<string, string>();

  async hashFile(relPath: string, absPath: string, st: Stats): Promise<string> {
    const key = `${relPath}\0${st.size}\0${st.mtimeMs}\0${st.mode}\0${st.uid}\0${st.gid}`;
    const known = this.hashes.get(key);
    if (known !== undefined) return known;
    const d = newDigester();
    for await (const chunk of createReadStream(absPath)) d.hash.update(chunk as Buffer);
    const hash = d.digest();
    this.remember(key, hash);
    return hash;
  }

  private remember(key: string, hash: string): void {
    if (this.hashes.size >= MEMO_LIMIT) {
      let drop = this.hashes.size / 2;
      for (const k of this.hashes.keys()) {
        if (drop-- <= 0) break;
        this.hashes.delete(k);
      }
    }
    this.hashes.set(key, hash);
  }
}

/**
 * One digest over every file the sources name: relative path, type, mode and
 * content (or link target). Excluded paths are left out, as COPY leaves them.
 */
export async function hashSources(
  contextDir: string,
  sources: readonly ContextSource[],
  exclude: ExcludeFn,
  memo: FileHashMemo,
): Promise<Digest> {
  const d = newDigester();
  const add = async (rel: string): Promise<void> => {
    const abs = join(contextDir, rel);
    const st = await lstat(abs);
    let content = '';
    if (st.isFile()) content = await memo.hashFile(rel, abs, st);
    else if (st.isSymbolicLink()) content = await readlink(abs);
    d.hash.update(`${rel}\0${st.mode}\0${content}\n`);
    if (!st.isDirectory()) return;
    const entries = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (!exclude(child, entry.isDirectory())) await add(child);
    }
  };
  for (const source of sources) await add(source.rel);
  return d.digest();
}
