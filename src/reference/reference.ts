import { invalidArgument, type Digest } from '../kernel/index.js';
import { IDENTIFIER_RE, NAME_RE, PATH_MAX_LENGTH, REFERENCE_RE, TAG_RE } from './grammar.js';

/**
 * A normalised image reference: `docker.io/library/busybox:latest`.
 *
 * `domain` is `docker.io` for Docker Hub (never `index.docker.io`), and
 * official images carry the `library/` prefix in `path`. A reference may have a
 * tag, a digest, both, or neither (a repository name).
 *
 * Docker quirk kept on purpose: when the first component contains a dot but is
 * not a valid host (`a.b_c/x`), Docker parses the whole string as a path with
 * no domain, so `domain` is `''`. Such a name can be tagged locally; the
 * registry client must refuse to pull or push it.
 */
export interface Reference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

/** The registry domain that familiar names (`busybox`, `user/app`) belong to. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
/** Docker Hub's historical name, accepted in input and rewritten to `docker.io`. */
const LEGACY_HUB_DOMAIN = 'index.docker.io';
/** Docker Hub's namespace for official images: `busybox` is `library/busybox`. */
const OFFICIAL_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';

/**
 * Parses a reference the way the docker CLI and daemon do
 * (distribution/reference `ParseNormalizedNamed`): familiar names gain
 * `docker.io` and `library/`, `index.docker.io` becomes `docker.io`. No tag is
 * added; see `withDefaultTag`. Throws `invalid-argument` with Docker's wording.
 */
export function parseReference(s: string): Reference {
  if (IDENTIFIER_RE.test(s)) {
    throw invalidArgument(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDomain(s);
  // Docker checks case on everything before the first colon of the remainder,
  // so with a digest but no tag the message names "repo@sha256" — kept as is.
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw invalidArgument(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseCanonical(`${domain}/${remainder}`);
}

/** Parses a repository name: a reference that has neither tag nor digest. */
export function parseRepositoryName(s: string): Reference {
  const ref = parseReference(s);
  if (ref.tag !== undefined || ref.digest !== undefined) throw invalidArgument('invalid reference format');
  return ref;
}

function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** The same reference with `tag` (any digest is kept, as Docker's `WithTag` does). */
export function withTag(ref: Reference, tag: string): Reference {
  if (!isValidTag(tag)) throw invalidArgument('invalid tag format');
  return { ...ref, tag };
}

/** Adds `latest` when the reference has neither tag nor digest (Docker's `TagNameOnly`). */
export function withDefaultTag(ref: Reference): Reference {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  return { ...ref, tag: DEFAULT_TAG };
}

/**
 * Decides whether the first path component names a registry. A component
 * is a domain when it is `localhost`, contains `.` or `:` (a host name, an IP,
 * a port), or has uppercase letters (paths never do); otherwise the name is on
 * Docker Hub.
 */
function splitDomain(s: string): { domain: string; remainder: string } {
  const slash = s.indexOf('/');
  if (slash === -1) return { domain: DOCKER_HUB_DOMAIN, remainder: OFFICIAL_PREFIX + s };
  const first = s.slice(0, slash);
  const rest = s.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (first === LEGACY_HUB_DOMAIN) {
    [domain, remainder] = [DOCKER_HUB_DOMAIN, rest];
  } else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    [domain, remainder] = [first, rest];
  } else {
    [domain, remainder] = [DOCKER_HUB_DOMAIN, s];
  }
  if (domain === DOCKER_HUB_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

/** Parses an already-qualified `domain/path[:tag][@digest]` (distribution's `Parse`). */
function parseCanonical(s: string): Reference {
  const match = REFERENCE_RE.exec(s);
  if (!match) throw invalidArgument('invalid reference format');
  const [, name = '', tag, digest] = match;
  const nameMatch = NAME_RE.exec(name);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? name;
  if (path.length > PATH_MAX_LENGTH) {
    throw invalidArgument(`repository name must not be more than ${PATH_MAX_LENGTH} characters`);
  }
  return {
    domain,
    path,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest: validateDigest(digest) }),
  };
}

/**
 * The grammar accepts any algorithm and 32+ hex digits; the digest itself must
 * then be valid (go-digest's checks and wording). berth stores sha256 only, so
 * sha384/sha512 references, which Docker accepts, are refused here.
 */
function validateDigest(s: string): Digest {
  const colon = s.indexOf(':');
  const algorithm = s.slice(0, colon);
  const hex = s.slice(colon + 1);
  if (algorithm !== 'sha256') throw invalidArgument('unsupported digest algorithm');
  if (hex.length !== 64) throw invalidArgument('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(hex)) throw invalidArgument('invalid checksum digest format');
  return s as Digest;
}
