import { statSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import { validateVolumeName } from '../volume/index.js';

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];
const BIND_MODES = ['ro', 'rw', 'z', 'Z', 'nocopy', ...PROPAGATIONS];
const VOLUME_MODES = ['ro', 'rw', 'z', 'Z', 'nocopy'];

/** One mount a container asked for, checked but not yet resolved to a volume. */
export type MountRequest = BindRequest | VolumeRequest | TmpfsRequest;

interface Common {
  destination: string;
  readOnly: boolean;
  /** Docker's `Mode` in inspect: the `-v` options as given. */
  mode: string;
}

export interface BindRequest extends Common {
  type: 'bind';
  source: string;
  propagation: string;
}

export interface VolumeRequest extends Common {
  type: 'volume';
  /** Absent: an anonymous volume. */
  name?: string;
  /** Fill a new volume from the image's content at the destination (not `nocopy`). */
  copyData: boolean;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface TmpfsRequest extends Common {
  type: 'tmpfs';
  /** mount(8) options: `size=`, `mode=`. */
  options: string[];
}

/**
 * The mounts of `-v` (HostConfig.Binds) and `--mount` (HostConfig.Mounts),
 * with Docker's checks and wording. `-v /host:/ctr` is a bind, `-v name:/ctr`
 * a named volume, `-v /ctr` an anonymous one. Like Docker, a missing host
 * path is created (at start) for `-v` and is an error for `--mount`.
 */
export function parseMountRequests(hc: Api.HostConfig): MountRequest[] {
  const out = [...(hc.Binds ?? []).map(parseBind), ...(hc.Mounts ?? []).map(fromMount)];
  const seen = new Set<string>();
  for (const m of out) {
    if (seen.has(m.destination)) throw invalidArgument(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  return out;
}

function parseBind(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.length === 1) return anonymousBind(spec);
  const [source = '', destination = '', opts, ...rest] = parts;
  if (destination === '' || rest.length > 0) throw invalidArgument(`invalid volume specification: '${spec}'`);
  if (!isAbsolute(destination)) {
    throw invalidArgument(
      `invalid volume specification: '${spec}': invalid mount config: destination must be an absolute path`,
    );
  }
  const options = (opts ?? '').split(',').filter(Boolean);
  const volume = !isAbsolute(source);
  for (const o of options) {
    if (!(volume ? VOLUME_MODES : BIND_MODES).includes(o)) {
      throw invalidArgument(`invalid volume specification: '${spec}': invalid mode: ${o}`);
    }
  }
  const common = { destination: normalize(destination), readOnly: options.includes('ro'), mode: opts ?? '' };
  if (volume) {
    validateVolumeName(source);
    // Docker shows `z` for a local volume given without options: the SELinux relabel it would apply.
    return { type: 'volume', name: source, copyData: !options.includes('nocopy'), ...common, mode: opts || 'z' };
  }
  const propagation = options.find((o) => PROPAGATIONS.includes(o)) ?? 'rprivate';
  return { type: 'bind', source, propagation, ...common };
}

/** `-v /data` sent as a bind by API clients: an anonymous volume, as Docker reads it. */
function anonymousBind(spec: string): VolumeRequest {
  if (!isAbsolute(spec)) {
    throw invalidArgument(
      `invalid volume specification: '${spec}': invalid mount config: destination must be an absolute path`,
    );
  }
  return { type: 'volume', destination: normalize(spec), readOnly: false, mode: 'z', copyData: true };
}

function fromMount(m: Api.Mount): MountRequest {
  const type = m.Type ?? '';
  const bad = (what: string) => invalidArgument(`invalid mount config for type "${type}": ${what}`);
  if (!['bind', 'volume', 'tmpfs'].includes(type)) {
    throw invalidArgument(`invalid mount config: mount type unknown: "${type}"`);
  }
  if (!m.Target) throw bad('field Target must not be empty');
  if (!isAbsolute(m.Target)) throw bad(`invalid mount path: '${m.Target}' mount path must be absolute`);
  if (type !== 'bind' && m.BindOptions) throw bad('field BindOptions must not be specified');
  if (type !== 'volume' && m.VolumeOptions) throw bad('field VolumeOptions must not be specified');
  if (type !== 'tmpfs' && m.TmpfsOptions) throw bad('field TmpfsOptions must not be specified');
  const common = { destination: normalize(m.Target), readOnly: m.ReadOnly === true, mode: '' };
  if (type === 'tmpfs') return tmpfsRequest(m, common, bad);
  if (type === 'volume') return volumeRequest(m, common);
  if (!m.Source) throw bad('field Source must not be empty');
  if (!isAbsolute(m.Source)) throw bad(`invalid mount path: '${m.Source}' mount path must be absolute`);
  try {
    statSync(m.Source);
  } catch {
    throw bad(`bind source path does not exist: ${m.Source}`);
  }
  return { type: 'bind', source: m.Source, propagation: m.BindOptions?.Propagation ?? 'rprivate', ...common };
}

function volumeRequest(m: Api.Mount, common: Common): VolumeRequest {
  if (m.Source) validateVolumeName(m.Source);
  const o = m.VolumeOptions;
  const driver = o?.DriverConfig?.Name;
  const driverOpts = o?.DriverConfig?.Options;
  return {
    type: 'volume',
    ...(m.Source ? { name: m.Source } : {}),
    copyData: o?.NoCopy !== true,
    ...(driver ? { driver } : {}),
    ...(driverOpts ? { driverOpts } : {}),
    ...(o?.Labels ? { labels: o.Labels } : {}),
    ...common,
    mode: 'z',
  };
}

function tmpfsRequest(m: Api.Mount, common: Common, bad: (what: string) => Error): TmpfsRequest {
  if (m.Source) throw bad('field Source must not be specified');
  const t = m.TmpfsOptions ?? {};
  if (t.SizeBytes !== undefined && t.SizeBytes < 0) throw bad(`invalid tmpfs size: ${t.SizeBytes}`);
  const options = [
    ...(t.SizeBytes ? [`size=${t.SizeBytes}`] : []),
    ...(t.Mode ? [`mode=${t.Mode.toString(8)}`] : []),
    ...(t.Options ?? []).map((o) => o.join('=')),
  ];
  return { type: 'tmpfs', options, ...common };
}
