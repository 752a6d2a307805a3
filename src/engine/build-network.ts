import type { BuildNetwork, BuildSandbox } from '../build/index.js';
import { writeEtcFiles } from '../container/index.js';
import { errorMessage, invalidArgument, type Logger } from '../kernel/index.js';
import { parseNetworkMode, type NetworkService } from '../network/index.js';

type Sandboxes = NetworkService['sandboxes'];
type StepEndpoint = Parameters<Sandboxes['detach']>[1];
type BridgeNetwork = Parameters<Sandboxes['detach']>[0];

/**
 * The build's `--network` on the network service's sandboxes: each RUN
 * step gets a namespace of its own with one CNI attachment, and release
 * detaches it (veth, IPAM lease) and deletes the namespace. A step is no
 * container, so it gets no endpoint row: nothing lists it, nothing resolves
 * its name. A namespace a crash leaves behind goes at the next start (the
 * service removes those no running container owns).
 */
export function createBuildNetwork(networks: NetworkService, logger: Logger): BuildNetwork {
  const networkOf = (mode: string | undefined): 'host' | 'none' | BridgeNetwork => {
    const m = parseNetworkMode(mode);
    if (m.kind === 'container') throw invalidArgument(`network mode ${mode} is not supported for builds`);
    if (m.kind !== 'network') return m.kind;
    const n = networks.registry.get(m.ref);
    // `host` and `none` given by network ID.
    if (n.spec.driver === 'host') return 'host';
    if (n.spec.driver === 'null') return 'none';
    return n;
  };
  return {
    check: (mode) => void networkOf(mode),
    prepare: async (step, mode): Promise<BuildSandbox> => {
      const n = networkOf(mode);
      const release = () => Promise.resolve();
      if (n === 'host') {
        const etcFiles = await writeEtcFiles(step.dir, step.hostname, {}, { host: true });
        return { namespace: { kind: 'host' }, etcFiles, release };
      }
      if (n === 'none') {
        return { namespace: { kind: 'new' }, etcFiles: await writeEtcFiles(step.dir, step.hostname), release };
      }
      return attachStep(networks, n, step, logger);
    },
  };
}

async function attachStep(
  networks: NetworkService,
  n: BridgeNetwork,
  step: { id: string; dir: string; hostname: string },
  logger: Logger,
): Promise<BuildSandbox> {
  const { sandboxes } = networks;
  const path = await sandboxes.create(step.id);
  const endpoint: StepEndpoint = {
    containerId: step.id,
    networkId: n.id,
    config: { containerName: step.hostname, aliases: [] },
    // What DEL needs when ADD fails part-way: it undoes whatever part (veth, lease) was done.
    runtime: {
      endpointId: '',
      netns: path,
      ifname: 'eth0',
      address: '',
      gateway: '',
      mac: '',
      ports: [],
      result: { cniVersion: '1.0.0' },
    },
  };
  const release = async (e: StepEndpoint) => {
    await sandboxes.detach(n, e);
    await sandboxes.remove(step.id).catch((err: unknown) => {
      logger.warn('removing a build step namespace failed', { id: step.id, error: errorMessage(err) });
    });
  };
  try {
    await networks.prepare(n);
    const runtime = await sandboxes.attach(n, endpoint, 'eth0', []);
    await networks.ensureDns(n);
    const etcFiles = await writeEtcFiles(
      step.dir,
      step.hostname,
      {},
      {
        address: runtime.address.split('/')[0],
        gateway: runtime.gateway,
        // On a user-defined network the gateway's responder resolves, as for a container.
        ...(n.spec.isDefault ? {} : { dnsServer: n.spec.gateway }),
      },
    );
    return { namespace: { kind: 'path', path }, etcFiles, release: () => release({ ...endpoint, runtime }) };
  } catch (e) {
    await release(endpoint);
    throw e;
  }
}
