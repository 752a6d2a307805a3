import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { decode, encode, type Packet } from 'dns-packet';
import { createLogger } from '../kernel/index.js';
import { DnsResponder } from './dns-server.js';

/** A loopback address of its own: port 53 there is free whatever the host runs on 127.0.0.53. */
const ADDRESS = '127.77.0.1';
/** Nothing listens here: forwarded queries fail at once (ICMP port unreachable). */
const DEAD_UPSTREAM = '127.77.0.2';

/** dns-packet decodes the response code, though its types do not say so. */
type Reply = Packet & { rcode?: string };

function ask(name: string, type: 'A' | 'AAAA'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('message', (msg) => {
      s.close();
      resolve(decode(msg));
    });
    s.once('error', reject);
    s.send(encode({ type: 'query', id: 7, flags: 256, questions: [{ type, name }] }), 53, ADDRESS);
  });
}

/** The same over TCP: a two-byte length before each message (RFC 1035 §4.2.2). */
function askTcp(name: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const query = encode({ type: 'query', id: 9, flags: 256, questions: [{ type: 'A', name }] });
    const len = Buffer.alloc(2);
    len.writeUInt16BE(query.length);
    const conn = connect(53, ADDRESS, () => conn.write(Buffer.concat([len, query])));
    let buf = Buffer.alloc(0);
    conn.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        conn.end();
        resolve(decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      }
    });
    conn.on('error', reject);
  });
}

describe('the DNS responder (needs root: binds port 53)', () => {
  test('answers A for known names over UDP and TCP, empty AAAA for them, and SERVFAIL when no upstream answers', async () => {
    const names: Record<string, string[]> = { db: ['10.1.0.2'], database: ['10.1.0.2'] };
    const responder = new DnsResponder((n) => names[n] ?? [], [DEAD_UPSTREAM], createLogger({ level: 'error' }));
    await responder.listen(ADDRESS);
    try {
      const a = await ask('DB', 'A');
      assert.equal(a.id, 7);
      assert.equal(a.type, 'response');
      assert.deepEqual(
        a.answers?.map((r) => (r.type === 'A' ? r.data : '')),
        ['10.1.0.2'],
      );
      const aaaa = await ask('database', 'AAAA');
      assert.equal(aaaa.rcode, 'NOERROR');
      assert.equal(aaaa.answers?.length, 0);
      const tcp = await askTcp('db');
      assert.equal(tcp.id, 9);
      assert.deepEqual(
        tcp.answers?.map((r) => (r.type === 'A' ? r.data : '')),
        ['10.1.0.2'],
      );
      const other = await ask('example.invalid', 'A');
      assert.equal(other.rcode, 'SERVFAIL');
    } finally {
      responder.close();
    }
  });
});
