import type { Db } from './database.js';

/**
 * A container's row. `spec` and `state` are JSON documents owned by the
 * container module; this module stores them and never looks inside.
 */
export interface ContainerRow {
  id: string;
  name: string;
  imageId: string;
  created: number;
  spec: string;
  state: string;
}

interface RawContainer {
  id: string;
  name: string;
  image_id: string;
  created: number;
  spec: string;
  state: string;
}

function toRow(r: RawContainer): ContainerRow {
  return { id: r.id, name: r.name, imageId: r.image_id, created: r.created, spec: r.spec, state: r.state };
}

export function putContainer(db: Db, c: ContainerRow): void {
  db.prepare('INSERT INTO containers (id, name, image_id, created, spec, state) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.id,
    c.name,
    c.imageId,
    c.created,
    c.spec,
    c.state,
  );
}

export function getContainer(db: Db, id: string): ContainerRow | undefined {
  const r = db.prepare('SELECT * FROM containers WHERE id = ?').get(id) as RawContainer | undefined;
  return r && toRow(r);
}

export function getContainerByName(db: Db, name: string): ContainerRow | undefined {
  const r = db.prepare('SELECT * FROM containers WHERE name = ?').get(name) as RawContainer | undefined;
  return r && toRow(r);
}

/** Containers whose ID starts with `prefix`; at most two, enough to tell an ambiguous prefix. */
export function findContainersByPrefix(db: Db, prefix: string): ContainerRow[] {
  const rows = db
    .prepare("SELECT * FROM containers WHERE id >= ? AND id < ? || 'g' LIMIT 2")
    .all(prefix, prefix) as RawContainer[];
  return rows.map(toRow);
}

export function listContainers(db: Db): ContainerRow[] {
  return (db.prepare('SELECT * FROM containers ORDER BY created DESC').all() as RawContainer[]).map(toRow);
}

export function setContainerState(db: Db, id: string, state: string): void {
  db.prepare('UPDATE containers SET state = ? WHERE id = ?').run(state, id);
}

export function renameContainer(db: Db, id: string, name: string): void {
  db.prepare('UPDATE containers SET name = ? WHERE id = ?').run(name, id);
}

export function deleteContainer(db: Db, id: string): void {
  db.prepare('DELETE FROM containers WHERE id = ?').run(id);
}

/** IDs of the containers made from an image. */
export function containersOfImage(db: Db, imageId: string): string[] {
  const rows = db.prepare('SELECT id FROM containers WHERE image_id = ?').all(imageId) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Replaces a container's spec document (`docker update`). */
export function setContainerSpec(db: Db, id: string, spec: string): void {
  db.prepare('UPDATE containers SET spec = ? WHERE id = ?').run(spec, id);
}
