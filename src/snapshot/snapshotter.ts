import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChainID, DiffID, Logger } from '../kernel/index.js';
import {
  deleteSnapshot,
  getSnapshot,
  putSnapshot,
  snapshotDirs,
  unreferencedSnapshots,
  type Db,
  type SnapshotRow,
} from '../state/index.js';

/** A snapshot being unpacked: a directory with no row yet. */
export interface PreparedSnapshot {
  /** Where the layer's files go (an empty directory). */
  readonly fsDir: string;
  /**
   * Records the snapshot under its chain ID. When one exists already (another
   * unpack won), this one's files are removed and `false` is returned.
   */
  commit(s: { chainId: ChainID; parent: ChainID | null; diffId: DiffID; size: number }): Promise<boolean>;
  /** Removes the files; does nothing after `commit`. */
  abort(): Promise<void>;
}

/**
 * Unpacked layers, one directory each, keyed by chain ID and stacked by
 * overlayfs. Lifecycle: prepare (a directory without a row) → commit (the row
 * makes it visible, read-only from then on) → remove. Only committed
 * snapshots are parents. The snapshotter returns paths; callers mount.
 */
export interface Snapshotter {
  prepare(): Promise<PreparedSnapshot>;
  get(chainId: ChainID): SnapshotRow | undefined;
  /** The layer directories of a chain, top layer first (overlay `lowerdir` order). */
  lowerDirs(chainId: ChainID): string[];
  /**
   * Removes snapshots no image refers to and none of `isLeased`, and
   * directories without a row; returns what it removed.
   */
  collectGarbage(isLeased: (chainId: ChainID) => boolean): Promise<ChainID[]>;
}

export function openSnapshotter(options: { root: string; db: Db; logger: Logger }): Snapshotter {
  return new OverlaySnapshotter(options.root, options.db, options.logger);
}

class OverlaySnapshotter implements Snapshotter {
  /** Directories being unpacked right now: GC must not take them. */
  private readonly preparing = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  private fsDirOf(dir: string): string {
    return join(this.root, dir, 'fs');
  }

  async prepare(): Promise<PreparedSnapshot> {
    // Short random names keep overlay's lowerdir option (one page at most) short.
    const dir = randomBytes(6).toString('base64url');
    const fsDir = this.fsDirOf(dir);
    this.preparing.add(dir);
    await mkdir(fsDir, { recursive: true });
    let finished = false;
    // Idempotent: abort after commit (a caller's blanket clean-up) keeps the snapshot.
    const done = async (keep: boolean) => {
      if (finished) return;
      finished = true;
      this.preparing.delete(dir);
      if (!keep) await rm(join(this.root, dir), { recursive: true, force: true });
    };
    return {
      fsDir,
      commit: async (s) => {
        const added = this.db.transaction(() => putSnapshot(this.db, { ...s, dir }));
        await done(added);
        return added;
      },
      abort: () => done(false),
    };
  }

  get(chainId: ChainID): SnapshotRow | undefined {
    return getSnapshot(this.db, chainId);
  }

  lowerDirs(chainId: ChainID): string[] {
    const dirs: string[] = [];
    for (let id: ChainID | null = chainId; id;) {
      const row = getSnapshot(this.db, id);
      if (!row) throw new Error(`snapshot chain broken at ${id}`);
      dirs.push(this.fsDirOf(row.dir));
      id = row.parent;
    }
    return dirs;
  }

  async collectGarbage(isLeased: (chainId: ChainID) => boolean): Promise<ChainID[]> {
    const removed: ChainID[] = [];
    // Removing a leaf can make its parent a leaf: repeat until stable.
    for (;;) {
      const victims = unreferencedSnapshots(this.db).filter((id) => !isLeased(id));
      if (victims.length === 0) break;
      for (const chainId of victims) {
        const row = getSnapshot(this.db, chainId)!;
        deleteSnapshot(this.db, chainId);
        await rm(join(this.root, row.dir), { recursive: true, force: true });
        removed.push(chainId);
      }
    }
    await this.removeOrphanDirs();
    if (removed.length > 0) this.logger.info('snapshot gc', { removed: removed.length });
    return removed;
  }

  /** Directories a crash left between unpack and commit. */
  private async removeOrphanDirs(): Promise<void> {
    const known = new Set(snapshotDirs(this.db));
    for (const dir of await readdir(this.root).catch(() => [] as string[])) {
      if (known.has(dir) || this.preparing.has(dir)) continue;
      this.logger.info('snapshot gc: removing unfinished snapshot', { dir });
      await rm(join(this.root, dir), { recursive: true, force: true });
    }
  }
}
