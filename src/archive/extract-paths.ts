/**
 * Entry names of a layer tar: lexical normalisation (the first line of defence
 * against writing outside the extraction root) and whiteout recognition (OCI
 * image-spec layer.md, "Whiteouts").
 */
import { invalidArgument } from '../kernel/index.js';

/** Prefix of an OCI whiteout: `.wh.<name>` deletes `<name>` of lower layers. */
const WHITEOUT_PREFIX = '.wh.';
/** `<dir>/.wh..wh..opq` hides everything lower layers put in `<dir>`. */
const OPAQUE_WHITEOUT = '.wh..wh..opq';
/**
 * `.wh..wh.` names other than the opaque marker are AUFS bookkeeping (`.wh..wh.plnk`
 * hardlink stores, `.wh..wh.aufs`, `.wh..wh.orph`) that old Docker layers carry;
 * the spec reserves them and gives them no meaning, so they are skipped.
 */
const WHITEOUT_META_PREFIX = '.wh..wh.';

/** What a normalised entry name asks for. */
export type EntryTarget =
  | { kind: 'path'; path: string }
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; dir: string }
  | { kind: 'ignored' };

/**
 * Normalises a tar name to a relative path inside the root: `./a//b/` → `a/b`,
 * `.` or `./` → `` (the root itself), `a/../b` → `b`. Refuses absolute names
 * and names whose `..` would climb above the root; the result never contains
 * `.` or `..` components. `entry` is the entry's own name when `name` is its
 * hardlink target, so the refusal names both.
 */
export function normaliseEntryPath(name: string, entry = name): string {
  const subject = entry === name ? 'its name' : `hardlink target ${JSON.stringify(name)}`;
  const refuse = (why: string) => invalidArgument(`refusing layer entry ${JSON.stringify(entry)}: ${subject} ${why}`);
  if (name.includes('\0')) throw refuse('contains NUL');
  if (name.startsWith('/')) throw refuse('is absolute, which a layer may not use');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw refuse('climbs out of the layer root');
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

/** The directory holding `path` (`` for a top-level name). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Classifies a normalised path as an ordinary entry, a whiteout, or AUFS metadata to skip. */
export function classifyEntryPath(path: string, name: string): EntryTarget {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const dir = slash < 0 ? '' : path.slice(0, slash);
  if (base === OPAQUE_WHITEOUT) return isAufsMeta(dir) ? { kind: 'ignored' } : { kind: 'opaque', dir };
  if (isAufsMeta(path)) return { kind: 'ignored' };
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: 'path', path };
  const victim = base.slice(WHITEOUT_PREFIX.length);
  // `.wh.`, `.wh..` and `.wh...` would delete the directory itself or its
  // parent; the spec defines whiteouts for siblings only.
  if (victim === '' || victim === '.' || victim === '..') {
    throw invalidArgument(`refusing layer entry ${JSON.stringify(name)}: whiteout names no sibling`);
  }
  return { kind: 'whiteout', path: dir === '' ? victim : `${dir}/${victim}` };
}

function isAufsMeta(path: string): boolean {
  return path.split('/').some((part) => part.startsWith(WHITEOUT_META_PREFIX));
}
