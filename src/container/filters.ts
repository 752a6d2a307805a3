import { invalidArgument } from '../kernel/index.js';
import type { Container } from './types.js';
import { mountsOfContainer } from './volume-mounts.js';

/** `GET /containers/json` filters: key → values (any value may match, every key must). */
export type ContainerFilters = Readonly<Record<string, readonly string[]>>;

export const CONTAINER_LIST_FILTERS = [
  'status',
  'name',
  'label',
  'ancestor',
  'id',
  'exited',
  'before',
  'since',
  'volume',
  'network',
] as const;

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** What the filters need beyond the container itself. */
export interface FilterLookups {
  /** A container by reference (`before`, `since`). */
  get(ref: string): Container;
  /** The networks a container is attached to (`network`). */
  networksOf(id: string): readonly { id: string; name: string }[];
}

export function matchesContainerFilters(c: Container, f: ContainerFilters, lookups: FilterLookups): boolean {
  const any = (key: string, test: (v: string) => boolean) => !f[key] || f[key].some(test);
  for (const s of f.status ?? []) if (!STATUSES.includes(s)) throw invalidArgument(`invalid filter 'status=${s}'`);
  return (
    any('status', (s) => s === c.state.status) &&
    any('id', (id) => c.id.startsWith(id)) &&
    any('name', (n) => new RegExp(n.replace(/^\//, '')).test(c.name)) &&
    any('ancestor', (a) => c.spec.image === a || c.spec.imageId === a || c.spec.imageId.slice(7).startsWith(a)) &&
    any('exited', (code) => c.state.status === 'exited' && String(c.state.exitCode) === code) &&
    any('volume', (v) => usesVolume(c, v)) &&
    // Docker's rule: a network's name, or a prefix of its ID.
    any('network', (v) => lookups.networksOf(c.id).some((n) => n.name === v || n.id.startsWith(v))) &&
    (f.label ?? []).every((l) => hasLabel(c, l)) &&
    (f.before ?? []).every((ref) => c.created < lookups.get(ref).created) &&
    (f.since ?? []).every((ref) => c.created > lookups.get(ref).created)
  );
}

/** Docker's `volume` filter: a volume's name (a bind's host path) or a mount's destination. */
function usesVolume(c: Container, value: string): boolean {
  return mountsOfContainer(c.spec).some((m) => (m.Name ?? m.Source) === value || m.Destination === value);
}

function hasLabel(c: Container, filter: string): boolean {
  const labels = c.spec.config.Labels ?? {};
  const eq = filter.indexOf('=');
  return eq < 0 ? filter in labels : labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}
