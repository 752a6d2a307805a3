/**
 * A 200 MB download from busybox httpd in a container through a port
 * published on 127.0.0.1, fetched by Node's http client on the host. berth
 * forwards with the CNI portmap plugin's DNAT (kernel only); dockerd 20.10
 * with its default userland proxy for loopback. Lower time is higher
 * throughput: the target ratio 1.0 on times is throughput ≥ 1.0× dockerd's.
 */
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { BenchCase } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox, removeContainers } from '../busybox.js';
import { docker } from '../docker-cli.js';
import type { Engine } from '../engines.js';

const SIZE_MB = 200;
const READY_TIMEOUT_MS = 20_000;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Downloads the whole body; resolves its byte count. */
function download(url: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { signal }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => (bytes += b.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export function createNetworkThroughputCase(): BenchCase {
  const servers = new Map<Engine, { id: string; url: string }>();
  return {
    name: 'network-throughput',
    description: `${SIZE_MB} MB HTTP download from busybox httpd through -p 127.0.0.1:PORT:80, fetched from the host`,
    unit: 'ms',
    target: { ratio: 1.0, better: 'lower' },
    needsNetworking: true,

    async setup(ctx) {
      await prepareBusybox(ctx);
      for (const engine of ctx.engines) {
        const port = await freePort();
        const script = `mkdir -p /www && dd if=/dev/zero of=/www/big bs=1M count=${SIZE_MB} 2>/dev/null && exec httpd -f -p 80 -h /www`;
        const args = ['run', '-d', '-p', `127.0.0.1:${port}:80`, BUSYBOX_IMAGE, 'sh', '-c', script];
        const { stdout } = await docker(engine, args, { signal: ctx.signal });
        const url = `http://127.0.0.1:${port}/big`;
        servers.set(engine, { id: stdout.trim(), url });
        const end = Date.now() + READY_TIMEOUT_MS;
        for (;;) {
          const bytes = await download(url, ctx.signal).catch(() => 0);
          if (bytes === SIZE_MB * 1024 * 1024) break;
          if (Date.now() > end) throw new Error(`network-throughput: ${engine.name}: httpd not serving ${url}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },

    async run(ctx, engine) {
      const server = servers.get(engine);
      if (!server) throw new Error(`network-throughput: ${engine.name} was not set up`);
      const start = process.hrtime.bigint();
      const bytes = await download(server.url, ctx.signal);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (bytes !== SIZE_MB * 1024 * 1024) throw new Error(`network-throughput: ${engine.name}: got ${bytes} bytes`);
      return ms;
    },

    async teardown(ctx) {
      for (const [engine, { id }] of servers) await removeContainers(ctx, engine, [id]);
      servers.clear();
    },
  };
}
