/**
 * Which context files a COPY/ADD source names: a plain path (file or
 * directory) or a wildcard pattern matched against every context path, as
 * the classic builder does. Paths `.dockerignore` excludes do not exist as
 * far as the build is concerned.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument, isErrno } from '../kernel/index.js';
import { contextPath } from './context.js';
import { hasWildcards, matchPath } from './path-match.js';

/** Decides whether a context path (relative, `/`-separated) is excluded; a directory may still hold included paths. */
export type ExcludeFn = (relPath: string, isDir?: boolean) => boolean;

/** A source found in the context. */
export interface ContextSource {
  /** Relative to the context root; '' is the root itself. */
  rel: string;
  isDir: boolean;
}

/** Resolves one source operand to the context entries it names (sorted). */
export async function resolveSources(
  contextDir: string,
  source: string,
  exclude: ExcludeFn,
  instruction = 'COPY',
): Promise<ContextSource[]> {
  const rel = contextPath(source);
  if (!hasWildcards(rel)) {
    const st = await lstatOrUndefined(join(contextDir, rel));
    if (!st || (rel !== '' && exclude(rel, st.isDirectory()))) throw missingSource(instruction, source);
    return [{ rel, isDir: st.isDirectory() }];
  }
  const found: ContextSource[] = [];
  const depth = rel.split('/').length;
  await walk(contextDir, '', depth, (entryRel, isDir) => {
    if (matchPath(rel, entryRel) && !exclude(entryRel, isDir)) found.push({ rel: entryRel, isDir });
  });
  if (found.length === 0) throw missingSource(instruction, source);
  return found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Docker's message for a source that is not there (or is excluded). */
function missingSource(instruction: string, source: string) {
  return invalidArgument(
    `${instruction} failed: file not found in build context or excluded by .dockerignore: stat ${source}: file does not exist`,
  );
}

async function walk(
  root: string,
  rel: string,
  depth: number,
  visit: (rel: string, isDir: boolean) => void,
): Promise<void> {
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    visit(child, entry.isDirectory());
    // A pattern has a fixed number of components: no need to look deeper.
    if (entry.isDirectory() && child.split('/').length < depth) await walk(root, child, depth, visit);
  }
}

/** lstat, or undefined when nothing is there. */
export async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return undefined;
    throw e;
  }
}
