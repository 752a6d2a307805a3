import { invalidArgument } from '../kernel/index.js';

/**
 * EXPOSE words as the image config's `ExposedPorts` keys: `80` is
 * `80/tcp`, a range `8000-8002/udp` is every port in it, as Docker's port
 * spec parser does. A published form (`8080:80`) is refused, as Docker does.
 */
export function exposedPorts(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const [range = '', proto = 'tcp'] = word.split('/');
    if (!/^(tcp|udp|sctp)$/i.test(proto)) throw invalidArgument(`invalid proto: ${proto}`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!m) throw invalidArgument(`invalid containerPort: ${range}`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start || end > 65535) throw invalidArgument(`invalid range specified for port: ${range}`);
    for (let p = start; p <= end; p++) out.push(`${p}/${proto.toLowerCase()}`);
  }
  return out;
}
