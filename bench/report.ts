/** The results of a run: a table on stdout and the same data as JSON. */
import { writeFile } from 'node:fs/promises';
import type { Target } from './case.js';
import type { EngineName } from './engines.js';
import type { Verdict } from './stats.js';

export interface CaseResult {
  readonly name: string;
  readonly description: string;
  readonly unit: 'ms' | 'MiB';
  readonly target: Target;
  readonly samples: Partial<Record<EngineName, number[]>>;
  readonly median: Partial<Record<EngineName, number>>;
  readonly ratio: number | undefined;
  readonly verdict: Verdict;
  /** Set when the case could not be measured; the verdict is then 'n/a'. */
  readonly error?: string;
}

export interface RunReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** --runs when given; otherwise each case ran its own number (see its samples). */
  readonly runs: number | undefined;
  readonly warmup: number;
  readonly host: { readonly kernel: string; readonly cpus: number; readonly memoryMiB: number; readonly node: string };
  readonly dockerCli: string;
  /** Server version each engine reported. */
  readonly engines: Partial<Record<EngineName, string>>;
  readonly cases: readonly CaseResult[];
}

const HEADER = ['case', 'berth median', 'dockerd median', 'berth/dockerd', 'target', 'result'];

export function formatTable(cases: readonly CaseResult[]): string {
  const rows = cases.map((c) => [
    c.name,
    formatValue(c.median.berth, c.unit),
    formatValue(c.median.dockerd, c.unit),
    c.ratio === undefined ? '-' : c.ratio.toFixed(2),
    formatTarget(c.target, c.unit),
    c.error === undefined ? c.verdict : 'error',
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** '≤ 0.7', or '≤ 0.3, berth ≤ 2 MiB' with an absolute budget. */
export function formatTarget(target: Target, unit: 'ms' | 'MiB'): string {
  const ratio = `${target.better === 'lower' ? '≤' : '≥'} ${target.ratio}`;
  return target.berthAtMost === undefined ? ratio : `${ratio}, berth ≤ ${target.berthAtMost} ${unit}`;
}

function formatValue(value: number | undefined, unit: 'ms' | 'MiB'): string {
  if (value === undefined) return '-';
  // Two decimals below 10: per-container memory is often a fraction of a MiB.
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

export async function writeReport(path: string, report: RunReport): Promise<void> {
  // undefined (no ratio with one engine) is written as null, not dropped.
  const json = JSON.stringify(report, (_key, value: unknown) => (value === undefined ? null : value), 2);
  await writeFile(path, `${json}\n`);
}
