import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../kernel/index.js';

/**
 * Bytes of the files under `dir`, each hard-linked file once: what Docker
 * reports as a local volume's size. A directory that is gone counts as 0.
 */
export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<bigint>();
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await readdir(path);
    } catch (e: unknown) {
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return;
      throw e;
    }
    for (const name of entries) {
      const child = join(path, name);
      const st = await lstat(child, { bigint: true });
      if (st.isDirectory()) await walk(child);
      else if (!seen.has(st.ino)) {
        seen.add(st.ino);
        total += Number(st.size);
      }
    }
  };
  await walk(dir);
  return total;
}
