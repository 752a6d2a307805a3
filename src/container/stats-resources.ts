/**
 * `docker update`: the request checked with Docker's rules and turned into
 * the container's new HostConfig plus the cgroup settings to apply.
 */
import { invalidArgument } from '../kernel/index.js';
import { applyResourceUpdate, validateResources, type HostFacts, type ResourceUpdate } from '../runtime/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { restartPolicyError } from './restart-policy.js';

/** The body of `POST /containers/{id}/update`. */
export interface UpdateRequest extends ResourceUpdate {
  RestartPolicy?: Api.RestartPolicy;
}

export interface PlannedUpdate {
  hostConfig: Api.HostConfig;
  resources: OciRuntime.LinuxResources;
}

/** The HostConfig after `req`; throws invalid-argument with Docker's message when a value is refused. */
export function planUpdate(hc: Api.HostConfig, req: UpdateRequest, host: HostFacts): PlannedUpdate {
  const hostConfig = applyResourceUpdate(hc, req);
  // An empty policy name is how the CLI says "leave the restart policy alone".
  if (req.RestartPolicy?.Name) {
    if (hc.AutoRemove === true && req.RestartPolicy.Name !== 'no') {
      throw invalidArgument('Restart policy cannot be updated because AutoRemove is enabled for the container');
    }
    const policyError = restartPolicyError(req.RestartPolicy, hc.AutoRemove === true);
    if (policyError) throw invalidArgument(policyError);
    hostConfig.RestartPolicy = req.RestartPolicy;
  }
  return { hostConfig, resources: validateResources(hostConfig, host) };
}
