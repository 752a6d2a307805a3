import { invalidArgument } from '../kernel/index.js';

/** Docker's filter set: name → values, sent as the `filters` query parameter. */
export type Filters = Record<string, string[]>;

/** Adds one value; values are a set, as in docker's filters.Args. */
export function addFilter(filters: Filters, name: string, value: string): void {
  const values = (filters[name] ??= []);
  if (!values.includes(value)) values.push(value);
}

/**
 * Parses repeated `-f key=value` flags like the docker CLI: the key is
 * lower-cased and trimmed, the value trimmed and may itself contain '='
 * (`label=a=b`); an empty flag is ignored.
 */
export function parseFilters(flags: readonly string[]): Filters {
  const filters: Filters = {};
  for (const flag of flags) {
    if (flag === '') continue;
    const eq = flag.indexOf('=');
    if (eq === -1) throw invalidArgument('bad format of filter (expected name=value)');
    addFilter(filters, flag.slice(0, eq).trim().toLowerCase(), flag.slice(eq + 1).trim());
  }
  return filters;
}

/** The JSON for the `filters` query parameter, or undefined when there is none. */
export function encodeFilters(filters: Filters): string | undefined {
  return Object.keys(filters).length === 0 ? undefined : JSON.stringify(filters);
}
