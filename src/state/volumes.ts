import type { Db } from './database.js';

/**
 * A volume's row. `labels` and `options` are decoded here; the volume
 * module owns their meaning.
 */
export interface VolumeRow {
  name: string;
  driver: string;
  created: number;
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
}

interface RawVolume {
  name: string;
  driver: string;
  created: number;
  labels: string;
  options: string;
  anonymous: number;
}

function toVolume(r: RawVolume): VolumeRow {
  return {
    name: r.name,
    driver: r.driver,
    created: r.created,
    labels: JSON.parse(r.labels) as Record<string, string>,
    options: JSON.parse(r.options) as Record<string, string>,
    anonymous: r.anonymous === 1,
  };
}

/** Records a volume; false when one with that name exists already. */
export function putVolume(db: Db, v: VolumeRow): boolean {
  return (
    db
      .prepare(
        'INSERT OR IGNORE INTO volumes (name, driver, created, labels, options, anonymous) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(v.name, v.driver, v.created, JSON.stringify(v.labels), JSON.stringify(v.options), v.anonymous ? 1 : 0)
      .changes > 0
  );
}

export function getVolume(db: Db, name: string): VolumeRow | undefined {
  const r = db.prepare('SELECT * FROM volumes WHERE name = ?').get(name) as RawVolume | undefined;
  return r && toVolume(r);
}

export function listVolumes(db: Db): VolumeRow[] {
  return (db.prepare('SELECT * FROM volumes ORDER BY name').all() as RawVolume[]).map(toVolume);
}

/** Deletes a volume's row; fails (foreign key) while a container refers to it. */
export function deleteVolume(db: Db, name: string): void {
  db.prepare('DELETE FROM volumes WHERE name = ?').run(name);
}

/** Records that a container uses volumes; the rows go when the container's row does. */
export function addVolumeRefs(db: Db, containerId: string, volumes: readonly string[]): void {
  const insert = db.prepare('INSERT OR IGNORE INTO volume_refs (volume, container_id) VALUES (?, ?)');
  for (const v of volumes) insert.run(v, containerId);
}

/** IDs of the containers that use a volume. */
export function volumeUsers(db: Db, name: string): string[] {
  const rows = db.prepare('SELECT container_id FROM volume_refs WHERE volume = ? ORDER BY container_id').all(name);
  return (rows as { container_id: string }[]).map((r) => r.container_id);
}

/** Number of containers using each volume that has any. */
export function volumeRefCounts(db: Db): Map<string, number> {
  const rows = db.prepare('SELECT volume, COUNT(*) AS n FROM volume_refs GROUP BY volume').all() as {
    volume: string;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.volume, r.n]));
}
