/**
 * `-v`, `--mount` and `--volumes-from` of `run`/`create`, turned into what
 * the docker CLI sends: `-v /path` alone is a `Config.Volumes` entry (an
 * anonymous volume), any other `-v` a `HostConfig.Binds` string, and each
 * `--mount` a `HostConfig.Mounts` object parsed from its CSV fields.
 */
import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import { parseMemory } from './flag-values.js';

export interface VolumeFlags {
  volume?: string[];
  mount?: string[];
  volumesFrom?: string[];
}

export interface VolumeSettings {
  volumes: Record<string, Record<string, never>>;
  binds: string[];
  mounts: Api.Mount[];
  volumesFrom: string[];
}

export function volumeSettings(f: VolumeFlags): VolumeSettings {
  const volumes: Record<string, Record<string, never>> = {};
  const binds: string[] = [];
  for (const v of f.volume ?? []) {
    if (v.includes(':')) binds.push(v);
    else volumes[v] = {};
  }
  return { volumes, binds, mounts: (f.mount ?? []).map(parseMountFlag), volumesFrom: f.volumesFrom ?? [] };
}

/** `type=volume,source=db,target=/data,readonly,volume-opt=type=tmpfs` → an API Mount. */
export function parseMountFlag(spec: string): Api.Mount {
  const fail = (why: string) => invalidArgument(`invalid argument "${spec}" for "--mount" flag: ${why}`);
  const m: Api.Mount = { Type: 'volume' };
  const fields = splitCsv(spec);
  const type = fields.find((f) => f.startsWith('type='))?.slice(5);
  if (type !== undefined) m.Type = type as Api.Mount['Type'];
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    applyField(m, key, value, fail);
  }
  if (!m.Target) throw fail('target is required');
  return m;
}

type Fail = (why: string) => Error;

function applyField(m: Api.Mount, key: string, value: string | undefined, fail: Fail): void {
  const need = (): string => {
    if (value === undefined) throw fail(`invalid field '${key}' must be a key=value pair`);
    return value;
  };
  const volume = () => (m.VolumeOptions ??= {});
  switch (key) {
    case 'type':
      return;
    case 'source':
    case 'src':
      m.Source = need();
      return;
    case 'target':
    case 'dst':
    case 'destination':
      m.Target = need();
      return;
    case 'readonly':
    case 'ro':
      m.ReadOnly = parseBool(key, value, fail);
      return;
    case 'bind-propagation':
      m.BindOptions = { ...m.BindOptions, Propagation: need() as 'rprivate' };
      return;
    case 'volume-nocopy':
      volume().NoCopy = parseBool(key, value, fail);
      return;
    case 'volume-label':
      volume().Labels = { ...volume().Labels, ...keyValue(need()) };
      return;
    case 'volume-driver':
      volume().DriverConfig = { ...volume().DriverConfig, Name: need() };
      return;
    case 'volume-opt': {
      const config = (volume().DriverConfig ??= {});
      config.Options = { ...config.Options, ...keyValue(need()) };
      return;
    }
    case 'tmpfs-size':
      m.TmpfsOptions = { ...m.TmpfsOptions, SizeBytes: parseMemory(need()) };
      return;
    case 'tmpfs-mode': {
      const mode = parseInt(need(), 8);
      if (Number.isNaN(mode)) throw fail(`invalid value for ${key}: ${value ?? ''}`);
      m.TmpfsOptions = { ...m.TmpfsOptions, Mode: mode };
      return;
    }
    default:
      throw fail(`unexpected key '${key}' in '${key}${value === undefined ? '' : `=${value}`}'`);
  }
}

function parseBool(key: string, value: string | undefined, fail: Fail): boolean {
  if (value === undefined) return true;
  if (['1', 'true', 'True', 'TRUE', 't', 'T'].includes(value)) return true;
  if (['0', 'false', 'False', 'FALSE', 'f', 'F'].includes(value)) return false;
  throw fail(`invalid value for ${key}: ${value}`);
}

function keyValue(item: string): Record<string, string> {
  const eq = item.indexOf('=');
  return eq < 0 ? { [item]: '' } : { [item.slice(0, eq)]: item.slice(eq + 1) };
}

/** One CSV record, as Go's encoding/csv reads it: `"a,b"` quotes a comma, `""` is a quote. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.filter((f) => f !== '');
}
