import { invalidArgument } from '../kernel/index.js';

/** Where berthd listens unless told otherwise (DESIGN §2). */
export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

/** Docker's default for a tcp:// host without a port (plain HTTP). */
const DEFAULT_TCP_PORT = 2375;

export type Endpoint = { socketPath: string } | { host: string; port: number };

/** `-H/--host`, then BERTH_HOST, then DOCKER_HOST, then the default socket. */
export function resolveHost(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  for (const candidate of [flag, env['BERTH_HOST'], env['DOCKER_HOST']]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim();
  }
  return DEFAULT_HOST;
}

/** Parses `unix:///path`, a bare `/path`, or `tcp://host[:port]`. */
export function parseHost(host: string): Endpoint {
  if (host.startsWith('/')) return { socketPath: host };
  const m = /^([a-z]+):\/\/(.*)$/.exec(host);
  if (!m) throw invalidArgument(`invalid host "${host}": expected unix:///path or tcp://host:port`);
  const [, scheme, rest = ''] = m;
  if (scheme === 'unix') {
    if (rest === '') throw invalidArgument(`invalid host "${host}": missing socket path`);
    return { socketPath: rest };
  }
  if (scheme === 'tcp' || scheme === 'http') {
    const url = new URL(`http://${rest}`);
    if (url.pathname !== '/' && url.pathname !== '') {
      throw invalidArgument(`invalid host "${host}": a tcp host cannot have a path`);
    }
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : DEFAULT_TCP_PORT };
  }
  throw invalidArgument(`invalid host "${host}": the ${scheme}:// scheme is not supported by berth`);
}
