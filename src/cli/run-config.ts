/**
 * `run`/`create` flags → the `POST /containers/create` body, field for field
 * what the docker CLI sends for the same flags.
 */
import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import { keyValues, parseEnvFile, parseGoDuration, resolveEnv } from './flag-values.js';
import { volumeSettings, type VolumeFlags } from './mount-flags.js';
import { networkSettings, type NetworkFlags } from './network-flags.js';

/** The flags as commander hands them over (memory and cpus already parsed). */
export interface RunFlags extends VolumeFlags, NetworkFlags {
  detach?: boolean;
  /** When to pull the image: `missing` (default), `always`, `never`. */
  pull?: string;
  rm?: boolean;
  name?: string;
  env?: string[];
  envFile?: string[];
  workdir?: string;
  user?: string;
  entrypoint?: string;
  label?: string[];
  restart?: string;
  init?: boolean;
  memory?: number;
  cpus?: number;
  pidsLimit?: number;
  readOnly?: boolean;
  tmpfs?: string[];
  capAdd?: string[];
  capDrop?: string[];
  device?: string[];
  pid?: string;
  ipc?: string;
  privileged?: boolean;
  securityOpt?: string[];
  stopSignal?: string;
  stopTimeout?: number;
  tty?: boolean;
  interactive?: boolean;
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: number;
  healthStartPeriod?: string;
  healthStartInterval?: string;
  healthcheck: boolean;
}

export type CreateBody = Api.ContainerConfig & { HostConfig: Api.HostConfig; NetworkingConfig?: Api.NetworkingConfig };

/** What the mapping reads besides the flags: env-file contents and the caller's environment. */
export interface CreateInputs {
  envFiles?: readonly string[];
  lookupEnv: (name: string) => string | undefined;
}

export function createBody(image: string, command: readonly string[], f: RunFlags, inputs: CreateInputs): CreateBody {
  if (f.rm && f.restart !== undefined && !['', 'no'].includes(f.restart)) {
    throw invalidArgument('Conflicting options: --restart and --rm');
  }
  const attach = f.detach !== true;
  const env = [
    ...(inputs.envFiles ?? []).flatMap((text) => parseEnvFile(text, inputs.lookupEnv)),
    ...(f.env ?? []).map((e) => resolveEnv(e, inputs.lookupEnv)),
  ];
  const healthcheck = healthConfig(f);
  const mounts = volumeSettings(f);
  const net = networkSettings(f);
  return {
    ...net.config,
    Image: image,
    ...(command.length > 0 && { Cmd: [...command] }),
    ...(f.entrypoint !== undefined && { Entrypoint: [f.entrypoint] }),
    ...(env.length > 0 && { Env: env }),
    ...(f.workdir !== undefined && { WorkingDir: f.workdir }),
    ...(Object.keys(mounts.volumes).length > 0 && { Volumes: mounts.volumes }),
    ...(f.user !== undefined && { User: f.user }),
    Labels: keyValues(f.label ?? []),
    Tty: f.tty === true,
    OpenStdin: f.interactive === true,
    StdinOnce: f.interactive === true && attach,
    AttachStdin: f.interactive === true && attach,
    AttachStdout: attach,
    AttachStderr: attach,
    ...(healthcheck && { Healthcheck: healthcheck }),
    ...(f.stopSignal !== undefined && { StopSignal: f.stopSignal }),
    ...(f.stopTimeout !== undefined && { StopTimeout: f.stopTimeout }),
    HostConfig: {
      ...hostConfig(f),
      ...(mounts.binds.length > 0 && { Binds: mounts.binds }),
      ...(mounts.mounts.length > 0 && { Mounts: mounts.mounts }),
      ...(mounts.volumesFrom.length > 0 && { VolumesFrom: mounts.volumesFrom }),
      ...net.hostConfig,
    },
    ...(net.networkingConfig && { NetworkingConfig: net.networkingConfig }),
  };
}

function hostConfig(f: RunFlags): Api.HostConfig {
  return {
    AutoRemove: f.rm === true,
    RestartPolicy: parseRestartPolicy(f.restart ?? ''),
    ...(f.init !== undefined && { Init: f.init }),
    ...(f.memory !== undefined && { Memory: f.memory }),
    ...(f.cpus !== undefined && { NanoCpus: f.cpus }),
    ...(f.pidsLimit !== undefined && { PidsLimit: f.pidsLimit }),
    ReadonlyRootfs: f.readOnly === true,
    Privileged: f.privileged === true,
    ...(f.tmpfs && { Tmpfs: tmpfsMounts(f.tmpfs) }),
    ...(f.capAdd && { CapAdd: f.capAdd }),
    ...(f.capDrop && { CapDrop: f.capDrop }),
    ...(f.device && { Devices: f.device.map(deviceMapping) }),
    ...(f.pid !== undefined && { PidMode: f.pid }),
    ...(f.ipc !== undefined && { IpcMode: f.ipc }),
    ...(f.securityOpt && { SecurityOpt: f.securityOpt }),
  };
}

/** `--device /dev/x[:/dev/y][:rwm]`, as the docker CLI splits it (a last part of only r, w, m is the access). */
function deviceMapping(spec: string): Api.DeviceMapping {
  const parts = spec.split(':');
  const last = parts.length > 1 && /^[rwm]{1,3}$/.test(parts[parts.length - 1] ?? '') ? parts.pop() : undefined;
  const [host = '', container = host] = parts;
  if (parts.length > 2) throw invalidArgument(`invalid device specification: ${spec}`);
  return { PathOnHost: host, PathInContainer: container, CgroupPermissions: last ?? 'rwm' };
}

/** `--tmpfs /run:size=64m` → {'/run': 'size=64m'}. */
function tmpfsMounts(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const colon = item.indexOf(':');
    if (colon === -1) out[item] = '';
    else out[item.slice(0, colon)] = item.slice(colon + 1);
  }
  return out;
}

/** `no`, `always`, `unless-stopped`, `on-failure[:N]`. */
function parseRestartPolicy(value: string): Api.RestartPolicy {
  if (value === '') return { Name: 'no', MaximumRetryCount: 0 };
  const parts = value.split(':');
  if (parts.length > 2) throw invalidArgument(`invalid restart policy format: ${value}`);
  const [name = '', count] = parts;
  if (count !== undefined && name !== 'on-failure') {
    throw invalidArgument(`maximum retry count cannot be used with restart policy '${name}'`);
  }
  if (count !== undefined && !/^-?\d+$/.test(count)) {
    throw invalidArgument('invalid restart policy format: maximum retry count must be an integer');
  }
  return { Name: name as Api.RestartPolicy['Name'], MaximumRetryCount: Number(count ?? 0) };
}

/** Health flags, durations in nanoseconds; undefined when none is given (the image's check stays). */
function healthConfig(f: RunFlags): Api.HealthConfig | undefined {
  const ns = (flag: string, v: string | undefined): number => {
    const d = v === undefined ? 0 : parseGoDuration(v);
    if (d < 0) throw invalidArgument(`--${flag} cannot be negative`);
    return d;
  };
  if (!f.healthcheck) {
    if (f.healthCmd !== undefined) throw invalidArgument('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  const given = [f.healthCmd, f.healthInterval, f.healthTimeout, f.healthRetries, f.healthStartPeriod];
  if (given.every((v) => v === undefined) && f.healthStartInterval === undefined) return undefined;
  if ((f.healthRetries ?? 0) < 0) throw invalidArgument('--health-retries cannot be negative');
  return {
    ...(f.healthCmd !== undefined && { Test: ['CMD-SHELL', f.healthCmd] }),
    Interval: ns('health-interval', f.healthInterval),
    Timeout: ns('health-timeout', f.healthTimeout),
    StartPeriod: ns('health-start-period', f.healthStartPeriod),
    StartInterval: ns('health-start-interval', f.healthStartInterval),
    Retries: f.healthRetries ?? 0,
  };
}
