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
  /**
   * Settles once the interfaces are configured and the /etc files name the
   * container's address; the runtime may create the container before, its
   * process must not run before. On failure the attachments are undone.
   */
  ready: Promise<void>;
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
    return ready({ kind: 'path', path }, await writeEtcFiles(dir, hostname, hc));
  }
  const net = await deps.networks.setUp({
    id: c.id,
    name: c.name,
    hostConfig: hc,
    exposedPorts: c.spec.config.ExposedPorts,
  });
  const { attached } = net;
  if (attached === undefined) {
    return ready(net.namespace, await writeEtcFiles(dir, hostname, hc, { host: mode.kind === 'host' }));
  }
  // The files must exist for the spec's bind mounts now; they are rewritten
  // in place (same inodes, so the mounts show it) once the address is known.
  const written = writeEtcFiles(dir, hostname, hc);
  const done = Promise.all([attached, written]).then(([a]) => writeEtcFiles(dir, hostname, hc, a));
  // Awaited by the start after runc's create; this keeps an early failure from counting as unhandled.
  done.catch(() => {});
  try {
    return { namespace: net.namespace, etcFiles: await written, ready: done.then(() => undefined) };
  } catch (e) {
    await attached.catch(() => {});
    await deps.networks.tearDown(c.id);
    throw e;
  }
}

function ready(namespace: SandboxNamespace, etcFiles: EtcFiles): StartedNetwork {
  return { namespace, etcFiles, ready: Promise.resolve() };
}
