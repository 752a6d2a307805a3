import type { Digest } from '../kernel/index.js';

/**
 * What Docker's image lookup treats as a possible ID prefix: 4 to 64 lowercase
 * hex digits, optionally after `sha256:` (moby daemon/containerd `truncatedID`).
 */
const ID_PREFIX_RE = /^(?:sha256:)?[a-f0-9]{4,64}$/;
const FULL_ID_RE = /^(?:sha256:)?([a-f0-9]{64})$/;

/**
 * True when `s` may be an image ID or a prefix of one. Docker's lookup order:
 * a full ID (see `parseImageId`) is always an ID; anything else is first
 * resolved as a name (`abcd` may be `docker.io/library/abcd:latest`), and
 * only when no such name exists and this returns true is it matched as a
 * prefix of image IDs.
 */
export function isIdPrefix(s: string): boolean {
  return ID_PREFIX_RE.test(s);
}

/** The image ID (config digest) when `s` is a full ID: 64 hex, with or without `sha256:`. */
export function parseImageId(s: string): Digest | undefined {
  const hex = FULL_ID_RE.exec(s)?.[1];
  return hex === undefined ? undefined : (`sha256:${hex}` as Digest);
}
