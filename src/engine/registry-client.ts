import { createRegistryClient, type RegistryClient } from '../registry/index.js';
import type { RegistryConfig } from './config.js';
import { BERTH_VERSION } from './system-info.js';

/** The registry client for the daemon's config (plain-HTTP hosts, mirrors, CA directories). */
export function openRegistryClient(config: RegistryConfig): RegistryClient & { close(): Promise<void> } {
  return createRegistryClient({
    certsDirs: config.certsDirs,
    insecureRegistries: config.insecureRegistries,
    mirrors: config.mirrors,
    userAgent: `berth/${BERTH_VERSION}`,
  });
}
