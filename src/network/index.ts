/**
 * network — networks, CNI invocation, published ports and name resolution.
 * Owns the `networks`/`endpoints` rows, the network namespaces under
 * `<execRoot>/netns`, host-local IPAM state under `<dataRoot>/networks`, and
 * a DNS responder on each user-defined network's gateway. Plugins are run
 * per the CNI 1.0 spec (bridge, host-local, portmap, firewall, loopback);
 * nothing here knows about containers beyond their ID and name, and it may
 * import only `state` and `events`.
 */
export { NetworkService } from './network-service.js';
export type { NetworkServiceOptions } from './network-service.js';
export type {
  ContainerNetworking,
  ContainerNetwork,
  ContainerNetworkRequest,
  SandboxNamespace,
} from './container-networks.js';
export type { NetworkCreateRequest } from './create.js';
export type { EndpointPlan } from './modes.js';
export { parseNetworkMode } from './modes.js';
export { NETWORK_LIST_FILTERS } from './filters.js';
export type { NetworkFilters } from './filters.js';
export { defaultBridgeDevice } from './bridge-name.js';
