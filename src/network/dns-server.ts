import { createSocket, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { decode, encode, RECURSION_AVAILABLE, type Answer, type Packet } from 'dns-packet';
import type { Logger } from '../kernel/index.js';

/** The container names of one network: a name or alias to its IPv4 addresses (empty when unknown). */
export type NameLookup = (name: string) => string[];

const DNS_PORT = 53;
/** How long a forwarded query may take before the container gets SERVFAIL. */
const UPSTREAM_TIMEOUT_MS = 4000;
/** Short, as Docker's embedded server: a removed container stops resolving quickly. */
const TTL_SECONDS = 600;

/** The host's resolvers: berthd runs in the host's namespace, so loopback ones work too. */
export async function hostResolvers(): Promise<string[]> {
  const text = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const found = [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!).filter((ip) => !ip.includes(':'));
  return found.length ? found : ['8.8.8.8'];
}

/**
 * A small DNS responder on one user-defined network's gateway address (UDP
 * and TCP, port 53), Docker's embedded DNS in spirit: A records for the
 * network's container names and aliases, everything else forwarded to the
 * host's resolvers. Containers' resolv.conf points at it.
 */
export class DnsResponder {
  private udp?: Socket;
  private tcp?: Server;

  constructor(
    private readonly lookup: NameLookup,
    private readonly upstreams: string[],
    private readonly logger: Logger,
  ) {}

  async listen(address: string): Promise<void> {
    const udp = createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', (msg, rinfo) => {
      void this.answer(msg).then((reply) => reply && udp.send(reply, rinfo.port, rinfo.address));
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(DNS_PORT, address, () => resolve());
    });
    udp.on('error', (e) => this.logger.warn('dns: udp socket error', { error: e.message }));
    this.udp = udp;
    const tcp = createServer((conn) => this.serveTcp(conn));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(DNS_PORT, address, () => resolve());
    });
    this.tcp = tcp;
  }

  close(): void {
    this.udp?.close();
    this.tcp?.close();
  }

  /** TCP DNS: each message carries a two-byte length (RFC 1035 §4.2.2). */
  private serveTcp(conn: TcpSocket): void {
    let buf = Buffer.alloc(0);
    conn.on('error', () => conn.destroy());
    conn.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.answer(msg).then((reply) => {
          if (!reply || conn.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(reply.length);
          conn.write(Buffer.concat([len, reply]));
        });
      }
    });
  }

  private async answer(msg: Buffer): Promise<Buffer | undefined> {
    let query: Packet;
    try {
      query = decode(msg);
    } catch {
      return undefined;
    }
    const q = query.questions?.[0];
    const name = q?.name.toLowerCase().replace(/\.$/, '') ?? '';
    const ips = q && (q.type === 'A' || q.type === 'AAAA') ? this.lookup(name) : [];
    if (q && ips.length > 0) {
      // A known name has no IPv6 address: answer AAAA empty rather than ask upstream.
      const answers: Answer[] =
        q.type === 'A' ? ips.map((ip) => ({ type: 'A', name: q.name, ttl: TTL_SECONDS, data: ip })) : [];
      return this.reply(query, answers, 'NOERROR');
    }
    return (await this.forward(msg)) ?? this.reply(query, [], 'SERVFAIL');
  }

  private reply(query: Packet, answers: Answer[], rcode: 'NOERROR' | 'SERVFAIL'): Buffer {
    return encode({
      id: query.id ?? 0,
      type: 'response',
      // dns-packet takes the response code from the low four bits of the flags.
      flags: ((query.flags ?? 0) & ~0xf) | RECURSION_AVAILABLE | (rcode === 'SERVFAIL' ? 2 : 0),
      questions: query.questions ?? [],
      answers,
    });
  }

  /** Relays the query unchanged to each upstream in turn; the first answer wins. */
  private async forward(msg: Buffer): Promise<Buffer | undefined> {
    for (const upstream of this.upstreams) {
      const reply = await askUpstream(msg, upstream).catch(() => undefined);
      if (reply) return reply;
    }
    return undefined;
  }
}

function askUpstream(msg: Buffer, upstream: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('timeout'));
    }, UPSTREAM_TIMEOUT_MS);
    s.once('error', (e) => {
      clearTimeout(timer);
      s.close();
      reject(e);
    });
    s.once('message', (reply) => {
      clearTimeout(timer);
      s.close();
      resolve(reply);
    });
    // Connected, so an ICMP port-unreachable fails the query at once instead of at the timeout.
    s.connect(DNS_PORT, upstream, () => s.send(msg));
  });
}
