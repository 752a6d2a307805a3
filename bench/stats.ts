/** Turning samples into the numbers the report shows. */
import type { Target } from './case.js';

export type Verdict = 'pass' | 'fail' | 'n/a';

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? NaN) + upper) / 2;
}

/** berth/dockerd, undefined when either side is missing or dockerd measured zero. */
export function ratioOf(berth: number | undefined, dockerd: number | undefined): number | undefined {
  if (berth === undefined || dockerd === undefined || dockerd === 0) return undefined;
  return berth / dockerd;
}

/** Whether the ratio meets the target and berth's median its absolute budget, if the target has one. */
export function verdict(ratio: number | undefined, target: Target, berth?: number): Verdict {
  if (ratio === undefined) return 'n/a';
  const ok = target.better === 'lower' ? ratio <= target.ratio : ratio >= target.ratio;
  const withinBudget = target.berthAtMost === undefined || (berth !== undefined && berth <= target.berthAtMost);
  return ok && withinBudget ? 'pass' : 'fail';
}

/**
 * The engine order of run `i`: alternating which engine goes first, so
 * drift (page cache, writeback, thermal) falls on both sides equally.
 */
export function interleave<T>(engines: readonly T[], i: number): T[] {
  return i % 2 === 0 ? [...engines] : [...engines].reverse();
}
