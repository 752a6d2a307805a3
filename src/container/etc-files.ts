import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EtcFiles } from '../runtime/index.js';

/**
 * The /etc/hostname, /etc/hosts and /etc/resolv.conf berth binds into a
 * container, written in its directory as Docker does. Without networking
 * yet, hosts names only the container itself on loopback and resolv.conf
 * is the host's (minus loopback resolvers, which cannot be reached from
 * the container's own network namespace).
 */
export async function writeEtcFiles(dir: string, hostname: string): Promise<EtcFiles> {
  const files = { hostname: join(dir, 'hostname'), hosts: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf') };
  await writeFile(files.hostname, `${hostname}\n`);
  await writeFile(
    files.hosts,
    [
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'ff00::0\tip6-mcastprefix',
      'ff02::1\tip6-allnodes',
      'ff02::2\tip6-allrouters',
      `127.0.1.1\t${hostname}`,
      '',
    ].join('\n'),
  );
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const kept = host.split('\n').filter((l) => !/^\s*nameserver\s+(127\.|::1)/.test(l));
  await writeFile(files.resolvConf, kept.join('\n'));
  return files;
}
