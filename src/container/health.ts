/**
 * Healthcheck rules, as Docker applies them (moby daemon/health.go): which
 * command a container's `Healthcheck` runs, the defaults of its timings, and
 * how one probe's result moves the container's health.
 */
import type { Api } from '../spec/index.js';
import type { ContainerHealth, HealthcheckResult } from './types.js';

/** What to run and how often, with Docker's defaults applied. */
export interface HealthProbe {
  /** The argv run in the container (`CMD-SHELL x` becomes `/bin/sh -c x`). */
  args: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  retries: number;
}

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
/** Docker keeps this many results in `State.Health.Log`. */
const MAX_LOG_ENTRIES = 5;
/** Docker keeps at most this much of a probe's output. */
export const MAX_OUTPUT_BYTES = 4096;

/** The probe a container's merged `Healthcheck` asks for; undefined for none (absent, empty or `NONE`). */
export function healthProbeOf(config: Api.HealthConfig | undefined): HealthProbe | undefined {
  const test = config?.Test ?? [];
  const [kind, ...rest] = test;
  let args: string[];
  if (kind === 'CMD') args = rest;
  else if (kind === 'CMD-SHELL') args = ['/bin/sh', '-c', rest.join(' ')];
  else return undefined;
  if (args.length === 0) return undefined;
  return {
    args,
    intervalMs: msOrDefault(config?.Interval, DEFAULT_INTERVAL_MS),
    timeoutMs: msOrDefault(config?.Timeout, DEFAULT_TIMEOUT_MS),
    startPeriodMs: msOrDefault(config?.StartPeriod, 0),
    retries: config?.Retries !== undefined && config.Retries > 0 ? config.Retries : DEFAULT_RETRIES,
  };
}

/** Durations in the API are nanoseconds; zero (or absent) means the default. */
function msOrDefault(ns: number | undefined, defaultMs: number): number {
  return ns !== undefined && ns > 0 ? ns / 1e6 : defaultMs;
}

/** Health as a (re)started container begins: `starting`, no failures, the old log kept (as Docker keeps it). */
export function startingHealth(previous: ContainerHealth | undefined): ContainerHealth {
  return { status: 'starting', failingStreak: 0, log: previous?.log ?? [] };
}

export interface ProbeContext {
  retries: number;
  /** Still within `StartPeriod` of the container's start: failures then do not count. */
  inStartPeriod: boolean;
}

/** The health after one more probe result: success heals at once, `retries` failures in a row make it unhealthy. */
export function applyProbeResult(
  health: ContainerHealth,
  result: HealthcheckResult,
  context: ProbeContext,
): ContainerHealth {
  const log = [...health.log, result].slice(-MAX_LOG_ENTRIES);
  if (result.ExitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  // Docker only forgives failures while the container has not been healthy yet.
  if (context.inStartPeriod && health.status === 'starting') return { ...health, log };
  const failingStreak = health.failingStreak + 1;
  return { status: failingStreak >= context.retries ? 'unhealthy' : health.status, failingStreak, log };
}

/** A Go `time.Duration` as Docker prints it in the timeout message: `30s`, `200ms`, `1m30s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Number((totalSeconds % 60).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
