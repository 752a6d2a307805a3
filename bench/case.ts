/**
 * What a benchmark case is. A case is one small file in cases/: it prepares
 * its fixtures once, measures one value per run on one engine, and removes
 * what it made. The runner owns engines, repetition, ordering and reporting.
 */
import type { Engine } from './engines.js';

export interface Target {
  /** The berth/dockerd ratio of medians the case must reach. */
  readonly ratio: number;
  /** 'lower': pass when ratio ≤ target (times, memory); 'higher': pass when ratio ≥ target (throughput). */
  readonly better: 'lower' | 'higher';
  /** Also an absolute budget: berth's median must be at most this, in the case's unit. */
  readonly berthAtMost?: number;
}

/** Measured runs per engine of a case that sets no defaultRuns. */
export const DEFAULT_RUNS = 5;

export interface BenchContext {
  /** This case's scratch directory, removed with the run. */
  readonly dir: string;
  /** Shared by every case of the run: fixtures generated once (images, tarballs). */
  readonly cacheDir: string;
  /** The engines of this run, one or both; setup and teardown act on each. */
  readonly engines: readonly Engine[];
  /** Aborted on SIGINT/SIGTERM; pass it to child processes. */
  readonly signal: AbortSignal;
  /** A progress line on stderr. */
  log(message: string): void;
}

export interface BenchCase {
  readonly name: string;
  /** One line for the README and `--list`: what is measured, how. */
  readonly description: string;
  /** Unit of the value run() returns: 'ms' for wall-clock times, 'MiB' for memory. */
  readonly unit: 'ms' | 'MiB';
  readonly target: Target;
  /** Measured runs per engine unless `--runs` says otherwise (default DEFAULT_RUNS); fast cases take more. */
  readonly defaultRuns?: number;
  /** The engines must start with networking (dockerd then rewrites iptables). */
  readonly needsNetworking: boolean;
  setup(ctx: BenchContext): Promise<void>;
  /** Untimed preparation, then exactly one measurement on `engine`. */
  run(ctx: BenchContext, engine: Engine): Promise<number>;
  teardown(ctx: BenchContext): Promise<void>;
}
