import { hostname as hostHostname } from 'node:os';
import { conflict } from '../kernel/index.js';
import { parseNetworkMode, type ContainerNetworking, type SandboxNamespace } from '../network/index.js';
import type { EtcFiles } from '../runtime/index.js';
import { writeEtcFiles } from './etc-files.js';
import type { ContainerStore } from './store.js';
import type { Container } from './types.js';

/** What a start needs from networking: the namespace for the runtime spec and the /etc files. */
export interface StartedNetwork {
  namespace: SandboxNamespace;
  etcFiles: EtcFiles;
}

/**
 * Sets up a container's network before its start: its own sandbox (CNI),
 * the host's, none, or another running container's (`container:<ref>`);
 * then writes /etc/hosts and /etc/resolv.conf to match.
 */
export async function startNetwork(
  deps: { networks: ContainerNetworking; store: ContainerStore },
  c: Container,
  dir: string,
): Promise<StartedNetwork> {
  const hc = c.spec.hostConfig;
  const mode = parseNetworkMode(hc.NetworkMode);
  const hostname = c.spec.config.Hostname || (mode.kind === 'host' ? hostHostname() : c.id.slice(0, 12));
  if (mode.kind === 'container') {
    const target = deps.store.get(mode.ref);
    if (target.state.status !== 'running' && target.state.status !== 'paused') {
      throw conflict(`cannot join network of a non running container: ${target.id}`);
    }
    const path = deps.networks.sandboxOf(target.id) ?? `/proc/${target.state.pid}/ns/net`;
    return { namespace: { kind: 'path', path }, etcFiles: await writeEtcFiles(dir, hostname, hc) };
  }
  const net = await deps.networks.setUp({
    id: c.id,
    name: c.name,
    hostConfig: hc,
    exposedPorts: c.spec.config.ExposedPorts,
  });
  try {
    const etcFiles = await writeEtcFiles(dir, hostname, hc, { ...net, host: mode.kind === 'host' });
    return { namespace: net.namespace, etcFiles };
  } catch (e) {
    await deps.networks.tearDown(c.id);
    throw e;
  }
}
