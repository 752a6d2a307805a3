/** Command-line options of `npm run bench -- [case...] [flags]`. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINE_NAMES, type EngineName } from './engines.js';

export interface BenchOptions {
  readonly cases: readonly string[];
  readonly engines: readonly EngineName[];
  /** From --runs: overrides every case's own number of runs. */
  readonly runs: number | undefined;
  readonly warmup: number;
  readonly readyTimeoutMs: number;
  readonly keep: boolean;
  readonly outPath: string;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [case...] [options]
  case...               cases to run (default: all; --list shows them)
  --runs N              measured runs per engine and case (default: the case's own, else 5)
  --warmup N            unrecorded runs per engine before measuring (default 1)
  --only berth|dockerd  run one engine only (no ratios)
  --ready-timeout MS    how long an engine may take to answer /_ping (default 30000)
  --out PATH            where to write the JSON results (default: a new file in the temp dir)
  --keep                keep the workspace (data roots, logs) instead of removing it
  --list                list the cases and exit`;

export function parseOptions(argv: readonly string[], knownCases: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string', default: '1' },
      only: { type: 'string' },
      'ready-timeout': { type: 'string', default: '30000' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const unknown = positionals.filter((p) => !knownCases.includes(p));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${knownCases.join(', ')}`);
  return {
    cases: positionals.length > 0 ? positionals : knownCases,
    engines: parseOnly(values.only),
    runs: values.runs === undefined ? undefined : parseCount('--runs', values.runs, 1),
    warmup: parseCount('--warmup', values.warmup, 0),
    readyTimeoutMs: parseCount('--ready-timeout', values['ready-timeout'], 1),
    keep: values.keep,
    outPath: values.out ?? join(tmpdir(), `berth-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    list: values.list,
    help: values.help,
  };
}

function parseOnly(only: string | undefined): readonly EngineName[] {
  if (only === undefined) return ENGINE_NAMES;
  const engine = ENGINE_NAMES.find((name) => name === only);
  if (engine === undefined) throw new Error(`--only takes ${ENGINE_NAMES.join(' or ')}, not ${only}`);
  return [engine];
}

function parseCount(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} takes an integer ≥ ${min}, not ${text}`);
  return n;
}
