/**
 * Values of `run`/`create` flags parsed the way the docker CLI parses them
 * (go-units RAMInBytes, Go's time.ParseDuration, big.Rat CPUs, env files),
 * so the same command line means the same container on berth.
 */
import { InvalidArgumentError } from 'commander';
import { invalidArgument } from '../kernel/index.js';

const BINARY_MULTIPLIERS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** `512m`, `1g`, `1.5GiB`, `100` (bytes): binary units, as go-units RAMInBytes. */
export function parseMemory(value: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  const size = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(size)) throw new InvalidArgumentError(`invalid size: '${value}'`);
  return Math.trunc(size * (m[2] ? (BINARY_MULTIPLIERS[m[2].toLowerCase()] ?? 1) : 1));
}

/** `--cpus 1.5` → 1500000000 NanoCpus; more than nine decimals is "too precise", as docker says. */
export function parseCpus(value: string): number {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m || value.trim() === '' || value.trim() === '.') {
    throw new InvalidArgumentError(`failed to parse ${value} as a rational number`);
  }
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 9) throw new InvalidArgumentError('value is too precise');
  return Number(m[1] || '0') * 1e9 + Number(frac.padEnd(9, '0'));
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration (`30s`, `1m30s`, `500ms`, `0`), in nanoseconds. */
export function parseGoDuration(value: string): number {
  const bad = (): Error => invalidArgument(`time: invalid duration "${value}"`);
  const sign = value.startsWith('-') ? -1 : 1;
  const body = value.replace(/^[-+]/, '');
  if (body === '0') return 0;
  if (body === '') throw bad();
  let total = 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let end = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] ?? NaN);
    end = re.lastIndex;
  }
  if (end !== body.length || !Number.isFinite(total)) throw bad();
  return sign * Math.round(total);
}

/**
 * An `--env-file`: one `NAME=value` a line, `#` comments and blank lines
 * skipped, values kept verbatim (no quotes removed); a bare `NAME` takes its
 * value from `lookup` and is dropped when unset.
 */
export function parseEnvFile(text: string, lookup: (name: string) => string | undefined): string[] {
  const out: string[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw) => {
      const line = raw.trimStart();
      if (line === '' || line.startsWith('#')) return;
      const [name = '', ...rest] = line.split('=');
      if (name === '') throw invalidArgument(`no variable name on line '${line}'`);
      if (/\s/.test(name)) throw invalidArgument(`variable '${name}' contains whitespaces`);
      if (rest.length > 0) out.push(line);
      else if (lookup(name) !== undefined) out.push(`${name}=${lookup(name) ?? ''}`);
    });
  return out;
}

/** `-e NAME` takes NAME's value from the environment; unset, it is passed on as is. */
export function resolveEnv(value: string, lookup: (name: string) => string | undefined): string {
  const [name = ''] = value.split('=', 1);
  if (name === '') throw invalidArgument(`invalid environment variable: ${value}`);
  if (value.includes('=')) return value;
  const found = lookup(name);
  return found === undefined ? value : `${name}=${found}`;
}

/**
 * `--since`/`--until` for logs as the daemon wants them (Unix seconds, maybe
 * fractional): a duration counts back from `now`, a number passes as is, a
 * date is converted (docker's timetypes.GetTimestamp).
 */
export function timestampParam(value: string, now: Date = new Date()): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  let ms: number;
  try {
    ms = now.getTime() - parseGoDuration(value) / 1e6;
  } catch {
    ms = Date.parse(value);
  }
  if (Number.isNaN(ms)) throw invalidArgument(`failed to parse value as time or duration: "${value}"`);
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String(Math.round((ms - seconds * 1000) * 1e6)).padStart(9, '0')}`;
}

/** `-l a=b -l c` / `-o k=v` → {a: 'b', c: ''}: a bare key is an empty value, as docker's label and option flags take it. */
export function keyValues(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq === -1) out[item] = '';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
