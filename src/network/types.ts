import type { CniResult } from './cni.js';

/** Docker's drivers berth lists; only `bridge` networks can be created. */
export type NetworkDriver = 'bridge' | 'host' | 'null';

/** What a network was created with: stored as the row's JSON, never changed. */
export interface NetworkSpec {
  driver: NetworkDriver;
  /** The Linux bridge device of a bridge network. */
  bridge?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  /** `--internal`: no route out, no masquerade. */
  internal: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  /** The default `bridge` network: no name resolution between containers, as in Docker. */
  isDefault?: boolean;
}

export interface Network {
  id: string;
  name: string;
  created: number;
  spec: NetworkSpec;
}

/** What a container asked of one network (`--network-alias`, `--ip`). */
export interface EndpointConfig {
  containerName: string;
  aliases: string[];
  ipv4?: string;
  /** `--mac-address`: the interface's address in the container. */
  mac?: string;
}

/** One published port as berth programmed it (Docker's PortBinding, resolved). */
export interface PortMapping {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** What an endpoint is while its container runs. */
export interface EndpointRuntime {
  endpointId: string;
  /**
   * The CNI container ID of the attachment when it is not the container's:
   * a sandbox made ahead of need (sandbox-pool.ts). DEL and CHECK must name
   * the ID the ADD did (host-local keys its leases by it).
   */
  sandboxId?: string;
  netns: string;
  ifname: string;
  /** `172.18.0.2/16`. */
  address: string;
  gateway: string;
  mac: string;
  ports: PortMapping[];
  result: CniResult;
}

export interface Endpoint {
  containerId: string;
  networkId: string;
  config: EndpointConfig;
  runtime?: EndpointRuntime;
}

/** A network sandbox attached ahead of need: its namespace is `<netnsDir>/<sandboxId>`, its endpoint unnamed. */
export interface PooledSandbox {
  sandboxId: string;
  networkId: string;
  runtime: EndpointRuntime;
}
