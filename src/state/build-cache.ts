import type { Digest } from '../kernel/index.js';
import type { Db } from './database.js';

/**
 * The build cache: a step's key (its parent image, its instruction after
 * expansion and, for COPY/ADD, a hash of the sources) names the image that
 * step made. Rows go with their image (ON DELETE CASCADE), so `rmi` of a
 * built image's chain drops its cache entries too.
 *
 * The image a cached step made, marking the entry used; undefined on a miss.
 */
export function useBuildCache(db: Db, key: string, now = Date.now()): Digest | undefined {
  return db.transaction(() => {
    const row = db.prepare('SELECT image_id FROM build_cache WHERE key = ?').get(key) as
      { image_id: string } | undefined;
    if (!row) return undefined;
    db.prepare('UPDATE build_cache SET last_used = ? WHERE key = ?').run(now, key);
    return row.image_id as Digest;
  });
}

/** Records (or replaces) what a step made. */
export function putBuildCache(db: Db, key: string, imageId: Digest, now = Date.now()): void {
  db.prepare(
    `INSERT INTO build_cache (key, image_id, created, last_used) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET image_id = excluded.image_id, last_used = excluded.last_used`,
  ).run(key, imageId, now, now);
}

/** Deletes every entry; returns the images they named (each once). */
export function clearBuildCache(db: Db): Digest[] {
  return db.transaction(() => {
    const rows = db.prepare('SELECT DISTINCT image_id FROM build_cache').all() as { image_id: string }[];
    db.prepare('DELETE FROM build_cache').run();
    return rows.map((r) => r.image_id as Digest);
  });
}
