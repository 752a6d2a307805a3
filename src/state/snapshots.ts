import type { ChainID, DiffID } from '../kernel/index.js';
import type { Db } from './database.js';

export interface SnapshotRow {
  chainId: ChainID;
  dir: string;
  parent: ChainID | null;
  diffId: DiffID;
  size: number;
  created: number;
}

interface RawSnapshot {
  chain_id: string;
  dir: string;
  parent: string | null;
  diff_id: string;
  size: number;
  created: number;
}

function toSnapshot(r: RawSnapshot): SnapshotRow {
  return {
    chainId: r.chain_id as ChainID,
    dir: r.dir,
    parent: r.parent as ChainID | null,
    diffId: r.diff_id as DiffID,
    size: r.size,
    created: r.created,
  };
}

/** Records a committed snapshot; false when one with that chain ID exists already. */
export function putSnapshot(db: Db, s: Omit<SnapshotRow, 'created'>, now = Date.now()): boolean {
  return (
    db
      .prepare(
        'INSERT OR IGNORE INTO snapshots (chain_id, dir, parent, diff_id, size, created) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(s.chainId, s.dir, s.parent, s.diffId, s.size, now).changes > 0
  );
}

export function getSnapshot(db: Db, chainId: ChainID): SnapshotRow | undefined {
  const r = db.prepare('SELECT * FROM snapshots WHERE chain_id = ?').get(chainId) as RawSnapshot | undefined;
  return r && toSnapshot(r);
}

/** Snapshots no image layer and no child snapshot refers to. */
export function unreferencedSnapshots(db: Db): ChainID[] {
  const rows = db
    .prepare(
      `SELECT chain_id FROM snapshots s
       WHERE NOT EXISTS (SELECT 1 FROM image_layers l WHERE l.chain_id = s.chain_id)
         AND NOT EXISTS (SELECT 1 FROM snapshots c WHERE c.parent = s.chain_id)`,
    )
    .all() as { chain_id: string }[];
  return rows.map((r) => r.chain_id as ChainID);
}

export function deleteSnapshot(db: Db, chainId: ChainID): void {
  db.prepare('DELETE FROM snapshots WHERE chain_id = ?').run(chainId);
}

/** The directory names of all committed snapshots. */
export function snapshotDirs(db: Db): string[] {
  return (db.prepare('SELECT dir FROM snapshots').all() as { dir: string }[]).map((r) => r.dir);
}

export function totalSnapshotSize(db: Db): number {
  return (db.prepare('SELECT coalesce(sum(size), 0) AS n FROM snapshots').get() as { n: number }).n;
}
