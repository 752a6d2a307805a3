import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Api } from '../spec/index.js';
import type { EtcFiles } from '../runtime/index.js';

/** What the /etc files depend on besides the container's own settings. */
export interface EtcNetwork {
  /** The primary address, for the hosts entry naming the container. */
  address?: string;
  gateway?: string;
  /** The DNS responder of a user-defined network (Docker's 127.0.0.11). */
  dnsServer?: string;
  /** `--network host`: the host's own files, as Docker does. */
  host?: boolean;
}

/** Docker's fallback when the host only has loopback resolvers, unreachable from a container. */
const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

function hostsFile(hostname: string, net: EtcNetwork, extraHosts: string[]): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const entry of extraHosts) {
    // `--add-host name:ip`; `host-gateway` is the host's address on the container's network.
    const i = entry.indexOf(':');
    const name = entry.slice(0, i);
    const ip = entry.slice(i + 1);
    lines.push(`${ip === 'host-gateway' ? (net.gateway ?? '127.0.0.1') : ip}\t${name}`);
  }
  lines.push(`${net.address ?? '127.0.1.1'}\t${hostname}`);
  return `${lines.join('\n')}\n`;
}

async function resolvConf(hc: Api.HostConfig, net: EtcNetwork): Promise<string> {
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const hostLines = host.split('\n');
  const hostServers = hostLines
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined && !/^(127\.|::1$)/.test(s));
  let servers = hc.Dns?.length ? hc.Dns : hostServers.length ? hostServers : FALLBACK_NAMESERVERS;
  // On a user-defined network the responder answers names and forwards the rest.
  if (net.dnsServer) servers = [net.dnsServer, ...(hc.Dns ?? [])];
  const search = hc.DnsSearch?.length
    ? hc.DnsSearch
    : hostLines.filter((l) => /^\s*search\s/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(1));
  const options = hc.DnsOptions?.length
    ? hc.DnsOptions
    : hostLines.filter((l) => /^\s*options\s/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(1));
  return [
    ...servers.map((s) => `nameserver ${s}`),
    ...(search.length ? [`search ${search.join(' ')}`] : []),
    ...(options.length ? [`options ${options.join(' ')}`] : []),
    '',
  ].join('\n');
}

/**
 * The /etc/hostname, /etc/hosts and /etc/resolv.conf berth binds into a
 * container, written in its directory as Docker does: hosts names the
 * container at its address; resolv.conf is the host's minus loopback
 * resolvers (unreachable from the container's namespace), or the network's
 * DNS responder on a user-defined network.
 */
export async function writeEtcFiles(
  dir: string,
  hostname: string,
  hc: Api.HostConfig = {},
  net: EtcNetwork = {},
): Promise<EtcFiles> {
  const files = { hostname: join(dir, 'hostname'), hosts: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf') };
  // A first start writes these while the rootfs is still being prepared in the same directory.
  await mkdir(dir, { recursive: true });
  await writeFile(files.hostname, `${hostname}\n`);
  if (net.host) {
    const hosts = await readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1\tlocalhost\n');
    await writeFile(files.hosts, hosts);
    await writeFile(files.resolvConf, await readFile('/etc/resolv.conf', 'utf8').catch(() => ''));
    return files;
  }
  await writeFile(files.hosts, hostsFile(hostname, net, hc.ExtraHosts ?? []));
  await writeFile(files.resolvConf, await resolvConf(hc, net));
  return files;
}
