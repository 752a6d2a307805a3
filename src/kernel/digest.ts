import { createHash, type Hash } from 'node:crypto';

/** `sha256:<64 hex>`: the digest of a blob as stored (compressed for layers). */
export type Digest = string & { readonly __brand: 'Digest' };
/** The digest of a layer's uncompressed tar (OCI `rootfs.diff_ids`). */
export type DiffID = string & { readonly __brand: 'DiffID' };
/** The identity of a stack of layers (OCI image-spec "ChainID"). */
export type ChainID = string & { readonly __brand: 'ChainID' };

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

export function digestHex(d: Digest | DiffID | ChainID): string {
  return d.slice('sha256:'.length);
}

export function sha256(data: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}` as Digest;
}

/** A running sha256 for streamed data. */
export function newDigester(): { hash: Hash; digest(): Digest } {
  const hash = createHash('sha256');
  return { hash, digest: () => `sha256:${hash.digest('hex')}` as Digest };
}

/**
 * ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).
 * Returns the chain ID of every prefix, base layer first.
 */
export function chainIDs(diffIDs: readonly DiffID[]): ChainID[] {
  const out: ChainID[] = [];
  let prev: ChainID | undefined;
  for (const diffID of diffIDs) {
    const next: ChainID =
      prev === undefined ? (diffID as string as ChainID) : (sha256(`${prev} ${diffID}`) as string as ChainID);
    out.push(next);
    prev = next;
  }
  return out;
}
