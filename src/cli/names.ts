/**
 * The little reference handling the CLI needs for display and for the tag
 * and import query parameters. The daemon owns real parsing and validation
 * (src/reference); `cli` may not import it, so this stays deliberately small.
 */

/** Docker Hub's canonical domain and the namespace of official images. */
const HUB_DOMAINS = ['docker.io/', 'index.docker.io/'];
const OFFICIAL_NAMESPACE = 'library/';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

export interface ParsedReference {
  /** Repository name as written (no tag, no digest). */
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits `name[:tag][@digest]`; returns undefined when it is not a valid reference. */
export function parseReference(ref: string): ParsedReference | undefined {
  const at = ref.indexOf('@');
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const rest = at === -1 ? ref : ref.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  const name = hasTag ? rest.slice(0, colon) : rest;
  const tag = hasTag ? rest.slice(colon + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  if (!validName(name)) return undefined;
  return { name, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

function validName(name: string): boolean {
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasDomain ? parts.slice(1) : parts;
  return path.length > 0 && path.every((p) => COMPONENT.test(p));
}

/**
 * Splits off the registry domain as Docker does: the first component is a
 * domain when it has a dot or a port, is `localhost`, or has upper case.
 */
export function splitDomain(name: string): { domain?: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain = first === 'localhost' || /[.:]/.test(first) || first !== first.toLowerCase();
  return isDomain ? { domain: first, path: name.slice(slash + 1) } : { path: name };
}

/** The short form docker shows: `docker.io/library/busybox` → `busybox`. */
export function familiarName(name: string): string {
  for (const domain of HUB_DOMAINS) {
    if (name.startsWith(domain)) {
      const path = name.slice(domain.length);
      const official = path.startsWith(OFFICIAL_NAMESPACE) && !path.slice(OFFICIAL_NAMESPACE.length).includes('/');
      return official ? path.slice(OFFICIAL_NAMESPACE.length) : path;
    }
  }
  return name;
}

/** docker's short ID: drop the algorithm, keep 12 characters. */
export function truncateID(id: string): string {
  const colon = id.indexOf(':');
  const hex = colon === -1 ? id : id.slice(colon + 1);
  return hex.length > 12 ? hex.slice(0, 12) : hex;
}

/** Cuts to `max` characters, the last being '…'. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (max <= 0) return '';
  if (chars.length <= max) return s;
  if (max === 1) return chars[0] as string;
  return chars.slice(0, max - 1).join('') + '…';
}
