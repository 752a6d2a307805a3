import { allCapabilities } from './caps.js';
import type { RuntimeSpecInput } from './spec-types.js';

/** A fixed machine description for unit tests: cgroup v1, x86_64, hard NOFILE 20000. */
export function testInput(overrides: Partial<RuntimeSpecInput> = {}): RuntimeSpecInput {
  return {
    id: 'f00dfeedc0de0123456789abcdef0123456789abcdef0123456789abcdef0123',
    rootfs: '/var/lib/berth/containers/x/rootfs',
    config: { Cmd: ['sh'] },
    user: { uid: 0, gid: 0, additionalGids: [], home: '/root' },
    network: { kind: 'new' },
    host: {
      nofileHardLimit: 20000,
      cgroupV2: false,
      swapAccounting: true,
      lastCap: 40,
      boundingCaps: allCapabilities(40),
      arch: 'amd64',
      kernelRelease: '6.1.0',
      cpuCount: 4,
      initBinary: '/usr/bin/tini-static',
      extraMaskedPaths: [],
    },
    ...overrides,
  };
}
