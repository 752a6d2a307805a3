import { invalidArgument } from '../kernel/index.js';

/**
 * The `filters` query parameter, normalised: each key maps to its distinct
 * values in the order given. Clients send it as `{"key":{"value":true}}`
 * (current) or `{"key":["value"]}` (before API 1.22, still sent by some SDKs);
 * both parse to the same thing.
 */
export interface Filters {
  /** The number of keys. */
  readonly size: number;
  has(key: string): boolean;
  /** The values for `key`; empty when the key is absent. */
  get(key: string): readonly string[];
  keys(): string[];
  /**
   * A boolean filter such as `dangling=true`: `fallback` when absent; `1`/`true`
   * or `0`/`false` otherwise; invalid-argument when empty or contradictory.
   */
  bool(key: string, fallback: boolean): boolean;
  /** A plain copy, for handing to an engine service. */
  toMap(): Map<string, string[]>;
}

/**
 * Parses the `filters` JSON. With `accepted`, a key outside it is rejected
 * with Docker's `invalid filter 'x'`. Absent or empty input is no filters.
 */
export function parseFilters(raw: string | undefined, accepted?: readonly string[]): Filters {
  const fields = raw === undefined || raw === '' ? new Map<string, string[]>() : decodeFilters(raw);
  if (accepted) {
    for (const key of fields.keys()) {
      if (!accepted.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
    }
  }
  return filtersOf(fields);
}

function decodeFilters(raw: string): Map<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Docker's message for undecodable filters carries no detail either.
    throw invalidArgument('invalid filter');
  }
  if (!isRecord(parsed)) throw invalidArgument('invalid filter');
  const fields = new Map<string, string[]>();
  for (const [key, value] of Object.entries(parsed)) {
    fields.set(key, [...new Set(valuesOf(value))]);
  }
  return fields;
}

/** Either form; in the map form a value set to false is not a value. */
function valuesOf(value: unknown): string[] {
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  if (isRecord(value) && Object.values(value).every((v) => typeof v === 'boolean')) {
    return Object.keys(value).filter((k) => value[k] === true);
  }
  throw invalidArgument('invalid filter');
}

function filtersOf(fields: Map<string, string[]>): Filters {
  return {
    size: fields.size,
    has: (key) => fields.has(key),
    get: (key) => fields.get(key) ?? [],
    keys: () => [...fields.keys()],
    bool(key, fallback) {
      const values = fields.get(key);
      if (values === undefined) return fallback;
      const isTrue = values.includes('1') || values.includes('true');
      const isFalse = values.includes('0') || values.includes('false');
      if (isTrue === isFalse) throw invalidArgument(`invalid filter '${key}=[${values.join(' ')}]'`);
      return isTrue;
    },
    toMap: () => new Map([...fields].map(([k, v]) => [k, [...v]])),
  };
}

/** A JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
