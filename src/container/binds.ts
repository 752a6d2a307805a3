import { mkdirSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { BerthError, invalidArgument } from '../kernel/index.js';
import { bindMount } from '../runtime/index.js';
import type { Api, OciRuntime } from '../spec/index.js';

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

/**
 * The bind mounts of `-v /host:/ctr[:opts]` (HostConfig.Binds) and `--mount
 * type=bind` (HostConfig.Mounts). Named volumes arrive with the volumes
 * work and are refused until then. Like Docker, a missing host path is
 * created for `-v` and is an error for `--mount`.
 */
export function bindMounts(hc: Api.HostConfig): OciRuntime.Mount[] {
  const out: OciRuntime.Mount[] = [];
  for (const spec of hc.Binds ?? []) out.push(parseBind(spec));
  for (const m of hc.Mounts ?? []) out.push(fromMount(m));
  const seen = new Set<string>();
  for (const m of out) {
    if (seen.has(m.destination)) throw invalidArgument(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  return out;
}

function parseBind(spec: string): OciRuntime.Mount {
  const [source = '', target, opts, ...rest] = spec.split(':');
  if (!target || rest.length > 0) throw invalidArgument(`invalid volume specification: '${spec}'`);
  if (!isAbsolute(source)) {
    throw new BerthError('not-implemented', `named volumes are not implemented yet: '${spec}'`);
  }
  if (!isAbsolute(target)) {
    throw invalidArgument(
      `invalid volume specification: '${spec}': invalid mount config: destination must be an absolute path`,
    );
  }
  const options = (opts ?? '').split(',').filter(Boolean);
  for (const o of options) {
    if (!['ro', 'rw', 'z', 'Z', 'nocopy', ...PROPAGATIONS].includes(o)) {
      throw invalidArgument(`invalid volume specification: '${spec}': invalid mode: ${o}`);
    }
  }
  mkdirSync(source, { recursive: true });
  const propagation = options.find((o) => PROPAGATIONS.includes(o));
  return bindMount(source, target, { readonly: options.includes('ro'), ...(propagation ? { propagation } : {}) });
}

function fromMount(m: Api.Mount): OciRuntime.Mount {
  if (m.Type !== 'bind') {
    throw new BerthError(
      'not-implemented',
      `mounts of type ${m.Type ?? '(none)'} are not implemented yet; use type=bind or --tmpfs`,
    );
  }
  if (!m.Source || !isAbsolute(m.Source))
    throw invalidArgument('invalid mount config for type "bind": invalid mount path');
  if (!m.Target || !isAbsolute(m.Target))
    throw invalidArgument('invalid mount config for type "bind": mount path must be absolute');
  try {
    statSync(m.Source);
  } catch {
    throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${m.Source}`);
  }
  const propagation = m.BindOptions?.Propagation;
  return bindMount(m.Source, m.Target, { readonly: m.ReadOnly === true, ...(propagation ? { propagation } : {}) });
}
