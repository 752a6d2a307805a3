import { randomBytes } from 'node:crypto';
import { invalidArgument } from '../kernel/index.js';

/**
 * The label Docker (23+) puts on the volumes it makes for one container
 * (`-v /path`, an image's VOLUME): `volume prune` on API 1.42+ removes only
 * these unless asked for `all`, and `rm -v` removes only these.
 */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** Docker's local volume names: two characters or more, no `/`. */
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Throws Docker's 400 for a name the local driver refuses. */
export function validateVolumeName(name: string): void {
  if (VALID_NAME.test(name)) return;
  throw invalidArgument(
    `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
  );
}

/** A name for an anonymous volume: 64 hex digits, as Docker's. */
export function anonymousVolumeName(): string {
  return randomBytes(32).toString('hex');
}
