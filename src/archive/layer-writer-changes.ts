/**
 * What a container changed, as Docker's `GET /containers/{id}/changes`
 * reports it, read from the overlayfs upper directory and the lower layers.
 *
 * Docker's rules (its overlay2 driver), kept here:
 * - a whiteout is a deletion of that path;
 * - an opaque directory that lower layers also have is reported as deleted
 *   (it was removed and made anew); what the upper holds inside it is added;
 * - anything else in the upper is modified if the lower layers show that
 *   path, added otherwise; a directory present below with the same mode and
 *   mtime is only a copy-up on the way to something deeper and is left out;
 * - an addition or deletion reports its parent directory as modified (the
 *   immediate parent only, never `/`), just before the entry itself.
 * Where berth differs, on purpose: the lower lookup follows overlayfs (a path
 * hidden by a whiteout or an opaque directory in a higher lower layer, or by
 * an opaque upper directory, does not exist below); directory size is not
 * compared (filesystems such as xfs and tmpfs size a directory by its
 * entries, so every copied-up directory would differ) but owner is.
 */
import { lstatSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isOpaque, walkUpper, type UpperEntry } from './layer-writer-walk.js';

/** Docker's change kinds, numerically as on the wire. */
export const ChangeKind = { Modified: 0, Added: 1, Deleted: 2 } as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

export interface Change {
  /** Absolute inside the container: `/etc/passwd`. */
  path: string;
  kind: ChangeKind;
  /** Bytes of a regular file added or modified; 0 for everything else. */
  size: number;
}

const YIELD_EVERY_MS = 10;

/** The changes of `upperDir` over `lowerDirs` (top layer first), in Docker's order. */
export async function listChanges(upperDir: string, lowerDirs: readonly string[]): Promise<Change[]> {
  const changes: Change[] = [];
  const reportedDirs = new Set<string>();
  /** Upper directories whose lower contents are invisible: new or opaque ones. */
  const hiding = new Set<string>();
  let lastYield = performance.now();
  for (const entry of walkUpper(upperDir)) {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await nextTurn();
      lastYield = performance.now();
    }
    const parent = parentOf(entry.path);
    const lower = hiding.has(parent) ? undefined : lookupLower(lowerDirs, entry.path);
    const kind = changeKind(entry, lower);
    if (entry.kind === 'dir' && (lower === undefined || entry.opaque)) hiding.add(entry.path);
    if (kind === undefined) continue;
    if (entry.kind === 'dir') reportedDirs.add(entry.path);
    if (kind !== ChangeKind.Modified && parent !== '' && !reportedDirs.has(parent)) {
      changes.push({ path: `/${parent}`, kind: ChangeKind.Modified, size: 0 });
      reportedDirs.add(parent);
    }
    const size = kind !== ChangeKind.Deleted && entry.kind === 'file' ? Number(entry.stat.size) : 0;
    changes.push({ path: `/${entry.path}`, kind, size });
  }
  return changes;
}

function changeKind(entry: UpperEntry, lower: BigIntStats | undefined): ChangeKind | undefined {
  if (entry.kind === 'whiteout') return ChangeKind.Deleted;
  if (lower === undefined) return ChangeKind.Added;
  if (entry.kind !== 'dir' || !lower.isDirectory()) return ChangeKind.Modified;
  if (entry.opaque) return ChangeKind.Deleted;
  return sameDirMetadata(entry.stat, lower) ? undefined : ChangeKind.Modified;
}

function sameDirMetadata(a: BigIntStats, b: BigIntStats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && sameTime(a.mtimeNs, b.mtimeNs);
}

/**
 * Equal, or the same second with one side whole: tar keeps whole seconds,
 * so a directory extracted from a layer matches the one it was made from.
 */
function sameTime(a: bigint, b: bigint): boolean {
  const second = 1_000_000_000n;
  if (a === b) return true;
  return a / second === b / second && (a % second === 0n || b % second === 0n);
}

/**
 * `path` as the stacked lower layers show it (top first), or undefined when
 * no layer has it or a higher layer hides it (a whiteout, a non-directory on
 * the way, an opaque directory that does not hold it).
 */
function lookupLower(lowerDirs: readonly string[], path: string): BigIntStats | undefined {
  const parts = path.split('/');
  for (const layer of lowerDirs) {
    let abs = layer;
    // Below an opaque directory, what this layer lacks no lower layer can add.
    let opaqueAbove = false;
    for (const [i, part] of parts.entries()) {
      abs = join(abs, part);
      const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
      if (st === undefined) {
        if (opaqueAbove) return undefined;
        break;
      }
      if (st.isCharacterDevice() && st.rdev === 0n) return undefined;
      if (i === parts.length - 1) return st;
      if (!st.isDirectory()) return undefined;
      opaqueAbove ||= isOpaque(abs);
    }
  }
  return undefined;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
