import { DOCKER_HUB_DOMAIN, type Reference } from './reference.js';

/** `docker.io/library/busybox`: domain and path, no tag or digest. */
export function fullName(ref: Reference): string {
  return ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
}

/**
 * The short name Docker shows: `busybox` for `docker.io/library/busybox`,
 * `user/app` for `docker.io/user/app`, the full name elsewhere. `library/`
 * is only dropped when nothing nests below it, as Docker does.
 */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DOCKER_HUB_DOMAIN) return fullName(ref);
  const official = /^library\/([^/]+)$/.exec(ref.path);
  return official?.[1] ?? ref.path;
}

/** The canonical form: `docker.io/library/busybox:latest@sha256:...`. */
export function referenceString(ref: Reference): string {
  return fullName(ref) + suffix(ref);
}

/** The form Docker shows users: `busybox:latest`, `user/app@sha256:...`. */
export function familiarString(ref: Reference): string {
  return familiarName(ref) + suffix(ref);
}

function suffix(ref: Reference): string {
  return (ref.tag === undefined ? '' : `:${ref.tag}`) + (ref.digest === undefined ? '' : `@${ref.digest}`);
}
