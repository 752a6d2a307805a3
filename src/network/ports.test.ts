import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { allocatePorts, requestedPorts } from './ports.js';

describe('published ports', () => {
  test('bindings become mappings; an empty host port is left for berth to choose', () => {
    const got = requestedPorts({
      bindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostPort: '' }], '81': null },
    });
    // JavaScript puts the integer-like key '81' first.
    assert.deepEqual(got, [
      { hostIp: '0.0.0.0', hostPort: 0, containerPort: 81, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: 0, containerPort: 53, protocol: 'udp' },
    ]);
  });

  test('-P publishes every exposed port that has no binding of its own', () => {
    const got = requestedPorts({
      bindings: { '80/tcp': [{ HostPort: '8080' }] },
      publishAll: true,
      exposed: { '80/tcp': {}, '443/tcp': {} },
    });
    assert.deepEqual(
      got.map((p) => `${p.containerPort}:${p.hostPort}`),
      ['80:8080', '443:0'],
    );
  });

  for (const key of ['0/tcp', '70000', 'http', '80/xyz']) {
    test(`"${key}" is not a port specification`, () => {
      assert.throws(() => requestedPorts({ bindings: { [key]: [] } }), /invalid port specification/);
    });
  }

  test('a port another container holds is refused in Docker words; a busy host port says address already in use', async () => {
    const held = { hostIp: '0.0.0.0', hostPort: 18081, containerPort: 80, protocol: 'tcp' as const };
    await assert.rejects(
      allocatePorts([{ ...held, hostIp: '127.0.0.1' }], [held]),
      /Bind for 127\.0\.0\.1:18081 failed: port is already allocated/,
    );
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      await assert.rejects(
        allocatePorts([{ ...held, hostIp: '127.0.0.1', hostPort: port }], []),
        /address already in use/,
      );
    } finally {
      server.close();
    }
  });

  test('a host port range (-p 8000-8010:80) is kept as a range to choose from; a reversed one is refused', () => {
    assert.deepEqual(
      requestedPorts({ bindings: { '80/tcp': [{ HostPort: '8000-8010' }, { HostPort: '9000-9000' }] } }),
      [
        { hostIp: '0.0.0.0', hostPort: 8000, hostPortEnd: 8010, containerPort: 80, protocol: 'tcp' },
        { hostIp: '0.0.0.0', hostPort: 9000, containerPort: 80, protocol: 'tcp' },
      ],
    );
    for (const bad of ['9-3', '80-70000', '1-', 'x']) {
      assert.throws(() => requestedPorts({ bindings: { '80/tcp': [{ HostPort: bad }] } }), /invalid hostPort/);
    }
  });

  test('from a range, the first port neither a container nor the host holds is chosen; none free is a conflict', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const want = {
        hostIp: '127.0.0.1',
        hostPort: port,
        hostPortEnd: port + 2,
        containerPort: 80,
        protocol: 'tcp' as const,
      };
      const held = { ...want, hostPortEnd: undefined, hostPort: port + 1 };
      const [got] = await allocatePorts([want], [held]);
      assert.deepEqual(got, { hostIp: '127.0.0.1', hostPort: port + 2, containerPort: 80, protocol: 'tcp' });
      await assert.rejects(
        allocatePorts([{ ...want, hostPortEnd: port + 1 }], [held]),
        new RegExp(`Bind for 127\\.0\\.0\\.1:${port}-${port + 1} failed: port is already allocated`),
      );
    } finally {
      server.close();
    }
  });

  test('ephemeral ports come from the kernel range and differ within one request', async () => {
    const want = { hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp' as const };
    const got = await allocatePorts([want, { ...want, containerPort: 81 }], []);
    assert.equal(got.length, 2);
    assert.notEqual(got[0]!.hostPort, got[1]!.hostPort);
    for (const p of got) assert.ok(p.hostPort >= 1024 && p.hostPort <= 65535);
  });
});
