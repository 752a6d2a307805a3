import { invalidArgument } from '../../kernel/index.js';
import type { ImageRow } from '../../state/index.js';
import type { StoredImage } from './image-store.js';

/** Filters as the API passes them: key → values (any value may match, all keys must). */
export type ImageFilters = Readonly<Record<string, readonly string[]>>;

/** The filter keys `GET /images/json` accepts. */
export const IMAGE_LIST_FILTERS = ['dangling', 'label', 'reference', 'before', 'since', 'until'] as const;

export function matchesFilters(
  image: StoredImage,
  filters: ImageFilters,
  resolve: (name: string) => ImageRow,
  all: readonly StoredImage[],
): boolean {
  const dangling = filters.dangling?.[0];
  if (dangling !== undefined) {
    if (!['true', 'false', '1', '0'].includes(dangling)) throw invalidArgument(`invalid filter 'dangling=${dangling}'`);
    const wantDangling = dangling === 'true' || dangling === '1';
    if (wantDangling !== (image.repoTags.length === 0)) return false;
  }
  if (filters.label && !filters.label.every((l) => hasLabel(image, l))) return false;
  if (filters.reference && !filters.reference.some((p) => matchesReference(image, p))) return false;
  const created = createdMs(image);
  for (const ref of filters.before ?? []) if (!(created < createdMs(find(all, resolve(ref))))) return false;
  for (const ref of filters.since ?? []) if (!(created > createdMs(find(all, resolve(ref))))) return false;
  for (const u of filters.until ?? []) if (!(created <= untilMs(u))) return false;
  return true;
}

function find(all: readonly StoredImage[], row: ImageRow): StoredImage {
  return all.find((i) => i.row.id === row.id)!;
}

function createdMs(image: StoredImage): number {
  const t = image.config.created ? Date.parse(image.config.created) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** `until`: a Unix timestamp, an RFC 3339 date, or a Go duration ago (`10m`, `24h`). */
export function untilMs(value: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const duration = /^(\d+)(s|m|h)$/.exec(value);
  if (duration) return now - Number(duration[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[duration[2] as 's' | 'm' | 'h'];
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidArgument(`invalid filter 'until=${value}'`);
  return t;
}

function hasLabel(image: StoredImage, filter: string): boolean {
  const labels = image.config.config?.Labels ?? {};
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** Docker matches the pattern against the familiar name, with and without the tag. */
function matchesReference(image: StoredImage, pattern: string): boolean {
  const re = globToRegExp(pattern);
  return image.repoTags.some((tag) => re.test(tag) || re.test(tag.slice(0, tag.lastIndexOf(':'))));
}

/** Go's path.Match: `*` and `?` do not cross `/`; `[...]` classes. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw invalidArgument(`invalid reference filter pattern: ${pattern}`);
      const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
      re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
      i = end;
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
