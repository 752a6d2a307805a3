import { invalidArgument } from '../kernel/index.js';
import type { VolumeRow } from '../state/index.js';

/** The filters `GET /volumes` accepts. */
export const VOLUME_LIST_FILTERS = ['name', 'label', 'dangling', 'driver'] as const;
/** The filters `POST /volumes/prune` accepts (`all` from API 1.42). */
export const VOLUME_PRUNE_FILTERS = ['label', 'label!', 'all'] as const;

/** Filter values by key, as the API decoded them. */
export type VolumeFilters = ReadonlyMap<string, readonly string[]>;

/** A volume and whether any container uses it, which `dangling` asks. */
export interface FilterSubject {
  row: VolumeRow;
  inUse: boolean;
}

export function matchesVolumeFilters(v: FilterSubject, filters: VolumeFilters): boolean {
  const name = filters.get('name');
  if (name && !name.some((n) => matchesPattern(v.row.name, n))) return false;
  const driver = filters.get('driver');
  if (driver && !driver.includes(v.row.driver)) return false;
  const dangling = filters.get('dangling');
  if (dangling && boolFilter('dangling', dangling) === v.inUse) return false;
  const labels = filters.get('label');
  if (labels && !labels.every((l) => hasLabel(v.row.labels, l))) return false;
  const notLabels = filters.get('label!');
  if (notLabels?.some((l) => hasLabel(v.row.labels, l))) return false;
  return true;
}

/** Docker matches `name` as an unanchored regular expression; one that does not compile matches as text. */
function matchesPattern(name: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}

/** `key` or `key=value`, as Docker's label filters. */
function hasLabel(labels: Readonly<Record<string, string>>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** `dangling=true|1|false|0`. */
function boolFilter(key: string, values: readonly string[]): boolean {
  const isTrue = values.some((v) => v === 'true' || v === '1');
  const isFalse = values.some((v) => v === 'false' || v === '0');
  if (isTrue === isFalse) throw invalidArgument(`invalid filter '${key}=${values.join(',')}'`);
  return isTrue;
}
