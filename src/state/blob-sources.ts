import type { Digest } from '../kernel/index.js';
import type { Db } from './database.js';

/** A repository a blob is known to be in: where a push can mount it from. */
export interface BlobSource {
  domain: string;
  repository: string;
}

export function addBlobSources(db: Db, digests: readonly Digest[], source: BlobSource): void {
  db.transaction(() => {
    const insert = db.prepare('INSERT OR IGNORE INTO blob_sources (digest, domain, repository) VALUES (?, ?, ?)');
    for (const digest of digests) insert.run(digest, source.domain, source.repository);
  });
}

export function blobSources(db: Db, digest: Digest): BlobSource[] {
  return db
    .prepare('SELECT domain, repository FROM blob_sources WHERE digest = ? ORDER BY repository')
    .all(digest) as BlobSource[];
}
