import type { Digest } from '../kernel/index.js';
import type { Db } from './database.js';

export interface TagRow {
  name: string;
  imageId: Digest;
}

/** Points `name` at `imageId`; returns the image it pointed at before, if another. */
export function setTag(db: Db, name: string, imageId: Digest, now = Date.now()): Digest | undefined {
  return db.transaction(() => {
    const old = db.prepare('SELECT image_id FROM tags WHERE name = ?').get(name) as { image_id: string } | undefined;
    db.prepare(
      'INSERT INTO tags (name, image_id, added) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, added = excluded.added',
    ).run(name, imageId, now);
    db.prepare('UPDATE images SET last_tag_time = ? WHERE id = ?').run(now, imageId);
    return old && old.image_id !== imageId ? (old.image_id as Digest) : undefined;
  });
}

export function getTag(db: Db, name: string): Digest | undefined {
  const r = db.prepare('SELECT image_id FROM tags WHERE name = ?').get(name) as { image_id: string } | undefined;
  return r?.image_id as Digest | undefined;
}

/** Removes a name: a tag, or a repo digest (`name@sha256:...`). */
export function deleteName(db: Db, name: string): boolean {
  const table = name.includes('@') ? 'repo_digests' : 'tags';
  return db.prepare(`DELETE FROM ${table} WHERE name = ?`).run(name).changes > 0;
}

export function tagsOf(db: Db, imageId: Digest): string[] {
  const rows = db.prepare('SELECT name FROM tags WHERE image_id = ? ORDER BY added').all(imageId) as {
    name: string;
  }[];
  return rows.map((r) => r.name);
}

export function getRepoDigest(db: Db, name: string): Digest | undefined {
  const r = db.prepare('SELECT image_id FROM repo_digests WHERE name = ?').get(name) as
    { image_id: string } | undefined;
  return r?.image_id as Digest | undefined;
}

export function repoDigestsOf(db: Db, imageId: Digest): string[] {
  const rows = db.prepare('SELECT name FROM repo_digests WHERE image_id = ? ORDER BY name').all(imageId) as {
    name: string;
  }[];
  return rows.map((r) => r.name);
}

/** Records `name@sha256:...` (a pulled or pushed manifest) as naming `imageId`. */
export function setRepoDigest(db: Db, name: string, imageId: Digest): void {
  db.prepare(
    'INSERT INTO repo_digests (name, image_id) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id',
  ).run(name, imageId);
}

/** Every tag of one repository (`docker.io/library/busybox:` as prefix), oldest first. */
export function tagsWithPrefix(db: Db, prefix: string): string[] {
  const rows = db
    .prepare('SELECT name FROM tags WHERE substr(name, 1, length(?1)) = ?1 ORDER BY added')
    .all(prefix) as { name: string }[];
  return rows.map((r) => r.name);
}
