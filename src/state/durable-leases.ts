import type { Db } from './database.js';

/**
 * Leases that survive a daemon crash. A pull marks each layer it has
 * verified and committed, so that after `kill -9` the startup GC spares it
 * and the next pull reuses it; the rows expire, so an abandoned pull's
 * layers are collected eventually (containerd's expiring leases).
 */
export function addDurableLease(db: Db, lease: string, keys: readonly string[], expires: number): void {
  db.transaction(() => {
    const insert = db.prepare(
      'INSERT INTO durable_leases (lease, key, expires) VALUES (?, ?, ?) ON CONFLICT(lease, key) DO UPDATE SET expires = excluded.expires',
    );
    for (const key of keys) insert.run(lease, key, expires);
  });
}

export function deleteDurableLease(db: Db, lease: string): void {
  db.prepare('DELETE FROM durable_leases WHERE lease = ?').run(lease);
}

/** Keys held by an unexpired durable lease; expired rows are deleted on the way. */
export function durablyLeasedKeys(db: Db, now = Date.now()): Set<string> {
  db.prepare('DELETE FROM durable_leases WHERE expires <= ?').run(now);
  const rows = db.prepare('SELECT DISTINCT key FROM durable_leases').all() as { key: string }[];
  return new Set(rows.map((r) => r.key));
}
