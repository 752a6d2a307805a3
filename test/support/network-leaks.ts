import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one daemon leaves on the host per attached container; all zero-sum over a start/stop. */
export interface NetworkFootprint {
  /** veth interfaces enslaved to the daemon's bridges. */
  veths: number;
  /** iptables-save lines naming the daemon's subnets or its containers. */
  iptablesLines: number;
  /** host-local leases (one file per address) under the data root. */
  ipamLeases: number;
  /** Mounts of network namespace files under the daemon's root. */
  netnsMounts: number;
}

/**
 * Counts the host state that belongs to one test daemon (its bridges, its
 * subnets, its root), not the whole host: other daemons may be running
 * containers at the same time.
 */
export async function networkFootprint(
  root: string,
  dataRoot: string,
  nets: { bridge: string; subnet: string }[],
  containerIds: string[],
): Promise<NetworkFootprint> {
  let veths = 0;
  for (const n of nets) {
    const members = await readdir(`/sys/class/net/${n.bridge}/brif`).catch(() => []);
    veths += members.filter((m) => m.startsWith('veth')).length;
  }
  const prefixes = nets.map((n) => n.subnet.split('.').slice(0, 2).join('.') + '.');
  const saved = (await run('iptables-save')).stdout.split('\n');
  const iptablesLines = saved.filter(
    (l) =>
      prefixes.some((p) => l.includes(` ${p}`) || l.includes(`/${p}`)) || containerIds.some((id) => l.includes(id)),
  ).length;
  let ipamLeases = 0;
  const ipam = join(dataRoot, 'networks', 'ipam');
  for (const dir of await readdir(ipam).catch(() => [])) {
    const files = await readdir(join(ipam, dir)).catch(() => []);
    ipamLeases += files.filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)).length;
  }
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const netnsMounts = mountinfo.split('\n').filter((l) => l.includes(`${root}/`) && l.includes('nsfs')).length;
  return { veths, iptablesLines, ipamLeases, netnsMounts };
}

/**
 * The footprint once it stops changing: after `docker run --rm` returns, the
 * container's CNI DEL may still be running (ContainerNetworking.release).
 */
export async function quietFootprint(get: () => Promise<NetworkFootprint>, ms = 5000): Promise<NetworkFootprint> {
  const deadline = Date.now() + ms;
  let last = await get();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = await get();
    const same = (Object.keys(last) as (keyof NetworkFootprint)[]).every((k) => now[k] === last[k]);
    if (same || Date.now() > deadline) return now;
    last = now;
  }
}
