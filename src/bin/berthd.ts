#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { allRoutes, startApiServer } from '../api/index.js';
import { BERTH_VERSION, createEngine, DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT } from '../engine/index.js';
import { createLogger, errorMessage } from '../kernel/index.js';

const USAGE = `Usage: berthd [--data-root DIR] [--exec-root DIR] [--host unix:///path.sock]... [--debug]

Runs the berth daemon in the foreground; it serves the Docker Engine API.
  --data-root   where images and containers live (default ${DEFAULT_DATA_ROOT})
  --exec-root   runtime state (default ${DEFAULT_EXEC_ROOT})
  -H, --host    socket to listen on (default unix://${DEFAULT_EXEC_ROOT}/berth.sock; repeatable)
  --debug       log debug messages
  --insecure-registry HOST[:PORT]|CIDR   allow plain HTTP to this registry (repeatable)
  --registry-mirror URL                  try this mirror first for docker.io (repeatable)
  --certs-dir DIR                        <host[:port]>/ca.crt directories (repeatable;
                                         default /etc/berth/certs.d, /etc/docker/certs.d)
  --max-concurrent-downloads N           layers pulled at once (default 3)
  --max-concurrent-uploads N             layers pushed at once (default 5)`;

/** A positive integer flag, or undefined when not given. */
function countFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-root': { type: 'string' },
      'exec-root': { type: 'string' },
      host: { type: 'string', short: 'H', multiple: true },
      debug: { type: 'boolean' },
      'insecure-registry': { type: 'string', multiple: true },
      'registry-mirror': { type: 'string', multiple: true },
      'certs-dir': { type: 'string', multiple: true },
      'max-concurrent-downloads': { type: 'string' },
      'max-concurrent-uploads': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (values.version) return void console.log(`berthd version ${BERTH_VERSION}`);
  const logger = createLogger({ level: values.debug ? 'debug' : 'info' });
  const execRoot = values['exec-root'] ?? DEFAULT_EXEC_ROOT;
  const registry = {
    insecureRegistries: values['insecure-registry'],
    mirrors: values['registry-mirror'],
    certsDirs: values['certs-dir'],
    maxConcurrentDownloads: countFlag('max-concurrent-downloads', values['max-concurrent-downloads']),
    maxConcurrentUploads: countFlag('max-concurrent-uploads', values['max-concurrent-uploads']),
  };
  const defined = Object.fromEntries(Object.entries(registry).filter(([, v]) => v !== undefined));
  const engine = await createEngine({ dataRoot: values['data-root'], execRoot, registry: defined }, logger);
  const version = { version: BERTH_VERSION, gitCommit: '', buildTime: '' };
  const hosts = values.host?.length ? values.host : [`unix://${execRoot}/berth.sock`];
  const servers = await Promise.all(
    hosts.map((host) => startApiServer({ host, routes: allRoutes(engine, version), logger, version })),
  );
  logger.info('berthd ready', { dataRoot: engine.config.dataRoot, hosts });
  const stop = (signal: string) => {
    logger.info('berthd stopping', { signal });
    void Promise.all(servers.map((s) => s.close()))
      .then(() => engine.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`berthd: ${errorMessage(e)}\n`);
  process.exit(1);
});
