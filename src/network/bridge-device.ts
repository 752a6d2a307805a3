import { spawn } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';
import { BerthError } from '../kernel/index.js';

/** Runs `ip -batch -` with `commands`, one per line. */
function ipBatch(commands: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BerthError('internal', `ip: ${err.trim() || `exit status ${code}`}`)),
    );
    child.stdin.end(`${commands.join('\n')}\n`);
  });
}

/**
 * Makes a network's bridge with its gateway address, if it is not there.
 * The bridge plugin would make it at the first attachment, but until then
 * the subnet has no route on the host, and another engine choosing a free
 * pool (a second berthd, dockerd) could take the same one.
 */
export async function ensureBridgeDevice(
  bridge: string,
  gateway: string,
  subnet: string,
  owner: string,
): Promise<void> {
  if (await exists(`/sys/class/net/${bridge}`)) return;
  const bits = subnet.split('/')[1] ?? '32';
  await ipBatch([
    `link add name ${bridge} type bridge`,
    `link set ${bridge} alias ${OWNER_PREFIX}${owner}`,
    `addr add ${gateway}/${bits} dev ${bridge}`,
    `link set ${bridge} up`,
  ]);
}

/**
 * Marks a bridge with the data root of the daemon that made it (the
 * interface alias), so a later daemon can tell a leftover of one whose
 * data root is gone (a killed test daemon) from a bridge in use.
 */
const OWNER_PREFIX = 'berth:';

export function bridgeExists(bridge: string): Promise<boolean> {
  return exists(`/sys/class/net/${bridge}`);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Bridges berth made for data roots that no longer exist, with nothing attached: safe to delete. */
export async function orphanBridges(): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir('/sys/class/net').catch(() => [] as string[])) {
    const alias = (await readFile(`/sys/class/net/${name}/ifalias`, 'utf8').catch(() => '')).trim();
    if (!alias.startsWith(OWNER_PREFIX) || (await exists(alias.slice(OWNER_PREFIX.length)))) continue;
    const members = await readdir(`/sys/class/net/${name}/brif`).catch(() => undefined);
    if (members?.length === 0) out.push(name);
  }
  return out;
}

export async function deleteBridgeDevice(bridge: string): Promise<void> {
  await ipBatch([`link del ${bridge}`]).catch(() => {});
}
