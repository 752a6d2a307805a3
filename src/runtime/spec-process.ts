import { invalidArgument } from '../kernel/index.js';
import type { ContainerSettings } from './spec-types.js';

/** Docker's PATH for containers whose image sets none (moby `DefaultPathEnv`). */
export const defaultPathEnv = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The container's settings as Docker stores them at create: the request,
 * with the image's defaults filling what it left out. A request Entrypoint
 * (even `[""]`, the CLI's `--entrypoint ""`) drops the image's Cmd unless the
 * request has its own; an empty array means "no entrypoint" but keeps the
 * image Cmd. Env: request entries first, then image entries whose key the
 * request does not set.
 */
export function mergeImageDefaults(request: ContainerSettings, image: ContainerSettings = {}): ContainerSettings {
  const merged: ContainerSettings = { ...request };
  if (!isSet(merged.User)) merged.User = image.User ?? '';
  if (!isSet(merged.WorkingDir)) merged.WorkingDir = image.WorkingDir ?? '';
  if (!isSet(merged.StopSignal) && isSet(image.StopSignal)) merged.StopSignal = image.StopSignal;
  merged.Env = mergeEnv(request.Env ?? [], image.Env ?? []);
  if ((request.Entrypoint ?? []).length === 0) {
    if ((request.Cmd ?? []).length === 0) {
      merged.Cmd = image.Cmd ?? null;
      if (image.ArgsEscaped !== undefined) merged.ArgsEscaped = image.ArgsEscaped;
    }
    if (request.Entrypoint === undefined || request.Entrypoint === null) merged.Entrypoint = image.Entrypoint ?? null;
  }
  merged.Labels = { ...(image.Labels ?? {}), ...(request.Labels ?? {}) };
  merged.Volumes = { ...(image.Volumes ?? {}), ...(request.Volumes ?? {}) };
  merged.ExposedPorts = { ...(image.ExposedPorts ?? {}), ...(request.ExposedPorts ?? {}) };
  if (merged.Healthcheck === undefined && image.Healthcheck !== undefined) merged.Healthcheck = image.Healthcheck;
  return merged;
}

function isSet(value: string | null | undefined): value is string {
  return value !== undefined && value !== null && value !== '';
}

function mergeEnv(request: readonly string[], image: readonly string[]): string[] {
  const keys = new Set(request.map(envKey));
  return [...request, ...image.filter((entry) => !keys.has(envKey(entry)))];
}

function envKey(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
}

/**
 * argv of the container's process: Entrypoint then Cmd. An entrypoint of
 * `[""]` counts as none. Docker's error when nothing is left.
 */
export function processArgs(config: ContainerSettings): string[] {
  const entrypoint = config.Entrypoint ?? [];
  const args = [...(entrypoint.length === 1 && entrypoint[0] === '' ? [] : entrypoint), ...(config.Cmd ?? [])];
  if (args.length === 0) throw invalidArgument('no command specified');
  return args;
}

/**
 * The process environment, built as Docker does: PATH (default), HOSTNAME
 * and, with a TTY, TERM=xterm come first; the container's Env replaces them
 * by key or is appended. An entry without `=` removes that key.
 */
export function processEnv(config: ContainerSettings, hostname: string): string[] {
  const env = [`PATH=${defaultPathEnv}`, `HOSTNAME=${hostname}`];
  if (config.Tty === true) env.push('TERM=xterm');
  for (const entry of config.Env ?? []) {
    const key = envKey(entry);
    const at = env.findIndex((e) => envKey(e) === key);
    if (!entry.includes('=')) {
      if (at >= 0) env.splice(at, 1);
    } else if (at >= 0) env[at] = entry;
    else env.push(entry);
  }
  return env;
}
