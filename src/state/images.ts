import type { ChainID, Digest } from '../kernel/index.js';
import type { Db } from './database.js';

export interface ImageRow {
  id: Digest;
  manifestDigest: Digest;
  mediaType: string;
  parent: Digest | null;
  created: string | null;
  size: number;
  added: number;
  lastTagTime: number | null;
}

export interface NewImage extends Omit<ImageRow, 'added' | 'lastTagTime'> {
  layers: readonly ChainID[];
}

interface RawImage {
  id: string;
  manifest_digest: string;
  media_type: string;
  parent: string | null;
  created: string | null;
  size: number;
  added: number;
  last_tag_time: number | null;
}

function toImage(r: RawImage): ImageRow {
  return {
    id: r.id as Digest,
    manifestDigest: r.manifest_digest as Digest,
    mediaType: r.media_type,
    parent: r.parent as Digest | null,
    created: r.created,
    size: r.size,
    added: r.added,
    lastTagTime: r.last_tag_time,
  };
}

/** Inserts an image and its layer list; an image that exists is left as it is. */
export function putImage(db: Db, image: NewImage, now = Date.now()): boolean {
  return db.transaction(() => {
    const res = db
      .prepare(
        `INSERT OR IGNORE INTO images (id, manifest_digest, media_type, parent, created, size, added)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(image.id, image.manifestDigest, image.mediaType, image.parent, image.created, image.size, now);
    if (res.changes === 0) return false;
    const addLayer = db.prepare('INSERT INTO image_layers (image_id, idx, chain_id) VALUES (?, ?, ?)');
    image.layers.forEach((chainID, idx) => addLayer.run(image.id, idx, chainID));
    return true;
  });
}

export function getImage(db: Db, id: Digest): ImageRow | undefined {
  const r = db.prepare('SELECT * FROM images WHERE id = ?').get(id) as RawImage | undefined;
  return r && toImage(r);
}

/** Images whose ID starts with `prefix` (hex, with or without `sha256:`). */
export function findImagesByPrefix(db: Db, prefix: string): ImageRow[] {
  const full = prefix.startsWith('sha256:') ? prefix : `sha256:${prefix}`;
  const rows = db.prepare("SELECT * FROM images WHERE id >= ? AND id < ? || 'g' LIMIT 2").all(full, full) as RawImage[];
  return rows.map(toImage);
}

export function listImages(db: Db): ImageRow[] {
  return (db.prepare('SELECT * FROM images ORDER BY added DESC').all() as RawImage[]).map(toImage);
}

export function imageLayers(db: Db, id: Digest): ChainID[] {
  const rows = db.prepare('SELECT chain_id FROM image_layers WHERE image_id = ? ORDER BY idx').all(id) as {
    chain_id: string;
  }[];
  return rows.map((r) => r.chain_id as ChainID);
}

/** Images whose `parent` is `id`. */
export function childImages(db: Db, id: Digest): Digest[] {
  const rows = db.prepare('SELECT id FROM images WHERE parent = ?').all(id) as { id: string }[];
  return rows.map((r) => r.id as Digest);
}

export function deleteImage(db: Db, id: Digest): void {
  db.prepare('DELETE FROM images WHERE id = ?').run(id);
}

export function countImages(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
}
