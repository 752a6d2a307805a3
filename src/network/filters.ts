import type { Endpoint, Network } from './types.js';

/** `docker network ls --filter` keys berth understands. */
export const NETWORK_LIST_FILTERS = ['name', 'id', 'label', 'driver', 'type', 'dangling'] as const;

export type NetworkFilters = Partial<Record<(typeof NETWORK_LIST_FILTERS)[number], string[]>>;

const PREDEFINED = new Set(['bridge', 'host', 'none']);

function labelMatches(labels: Record<string, string>, want: string): boolean {
  const eq = want.indexOf('=');
  if (eq < 0) return want in labels;
  return labels[want.slice(0, eq)] === want.slice(eq + 1);
}

/** Docker's semantics: values of one key are ORed, keys are ANDed; name and id match substrings / prefixes. */
export function matchesNetworkFilters(n: Network, f: NetworkFilters, endpoints: Endpoint[]): boolean {
  const any = (values: string[] | undefined, pred: (v: string) => boolean) => !values?.length || values.some(pred);
  const type = PREDEFINED.has(n.name) ? 'builtin' : 'custom';
  const dangling = !endpoints.some((e) => e.networkId === n.id);
  return (
    any(f.name, (v) => n.name.includes(v)) &&
    any(f.id, (v) => n.id.startsWith(v)) &&
    any(f.driver, (v) => n.spec.driver === v) &&
    any(f.type, (v) => v === type) &&
    (f.label ?? []).every((v) => labelMatches(n.spec.labels, v)) &&
    any(f.dangling, (v) => (v === 'true' || v === '1') === (dangling && type === 'custom'))
  );
}
