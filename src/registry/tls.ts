import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { isErrno } from '../kernel/index.js';

/** The TLS material for one registry host, read from certs.d directories. */
export interface HostTls {
  /** Node's default roots plus every `*.crt` found; undefined when none was found (Node's defaults apply). */
  ca?: string[];
  cert?: Buffer;
  key?: Buffer;
}

/**
 * Reads `<dir>/<host[:port]>/` in each certs.d directory as Docker does:
 * `*.crt` files are extra CAs (added to the system roots, not replacing
 * them), and a `name.cert` with its `name.key` is a client certificate. The
 * first directory that holds a client pair wins; a `.cert` without its key
 * is an error, as in Docker.
 */
export async function readHostTls(certsDirs: readonly string[], host: string): Promise<HostTls> {
  const cas: string[] = [];
  let client: { cert: Buffer; key: Buffer } | undefined;
  for (const dir of certsDirs) {
    const hostDir = join(dir, host);
    let names: string[];
    try {
      names = (await readdir(hostDir)).sort();
    } catch (e) {
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) continue;
      throw e;
    }
    for (const name of names.filter((n) => n.endsWith('.crt'))) cas.push(await readFile(join(hostDir, name), 'utf8'));
    for (const name of names.filter((n) => n.endsWith('.cert'))) {
      const keyName = `${name.slice(0, -'.cert'.length)}.key`;
      if (!names.includes(keyName))
        throw new Error(`missing key ${keyName} for client certificate ${join(hostDir, name)}`);
      client ??= { cert: await readFile(join(hostDir, name)), key: await readFile(join(hostDir, keyName)) };
    }
  }
  return { ...(cas.length > 0 ? { ca: [...rootCertificates, ...cas] } : {}), ...client };
}
