import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
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
 * containers at the same time. The sandboxes a daemon attaches ahead of
 * need (network/sandbox-pool.ts: one per network used, under netns files
 * named `pool-…`) are not counted: they are not a container's leftovers.
 */
export async function networkFootprint(
  root: string,
  dataRoot: string,
  nets: { bridge: string; subnet: string }[],
  containerIds: string[],
): Promise<NetworkFootprint> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const nsMounts = mountinfo
    .split('\n')
    .filter((l) => l.includes(`${root}/`) && l.includes('nsfs'))
    .map((l) => l.split(' ')[4] ?? '');
  const pooled = nsMounts.filter((m) => basename(m).startsWith('pool-'));
  const pooledIds = new Set(pooled.map((m) => basename(m)));
  const pooledPeers = new Set<string>();
  for (const ns of pooled) {
    // `eth0@if123`: the host end of the pooled sandbox's veth has ifindex 123.
    const link = await run('nsenter', [`--net=${ns}`, 'ip', '-o', 'link', 'show', 'dev', 'eth0']).catch(
      () => undefined,
    );
    const peer = link && /@if(\d+):/.exec(link.stdout)?.[1];
    if (peer) pooledPeers.add(peer);
  }
  let veths = 0;
  for (const n of nets) {
    const members = await readdir(`/sys/class/net/${n.bridge}/brif`).catch(() => []);
    for (const m of members.filter((x) => x.startsWith('veth'))) {
      const index = await readFile(`/sys/class/net/${m}/ifindex`, 'utf8').catch(() => '');
      if (!pooledPeers.has(index.trim())) veths++;
    }
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
    for (const f of files.filter((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x))) {
      // host-local writes the attachment's CNI container ID into each lease.
      const owner = (await readFile(join(ipam, dir, f), 'utf8').catch(() => '')).split(/\s/)[0] ?? '';
      if (!pooledIds.has(owner)) ipamLeases++;
    }
  }
  return { veths, iptablesLines, ipamLeases, netnsMounts: nsMounts.length - pooled.length };
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
