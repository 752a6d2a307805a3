import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeContext } from '../support/build-context.js';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';
import { networkFootprint } from '../support/network-leaks.js';

/** Each RUN prints its IPv4 addresses and resolver between markers, so the output can be picked apart. */
const REPORT = `FROM busybox
RUN echo "addrs: $(ip -o -4 addr show | awk '{print $2 "=" $4}' | tr '\\n' ' ')" && echo "dns: $(grep nameserver /etc/resolv.conf | tr '\\n' ' ')"
`;

function reported(stdout: string, key: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${key}: `));
  assert.ok(line, `no "${key}:" line in:\n${stdout}`);
  return line.slice(key.length + 2).trim();
}

/** The first two octets of a subnet, as network-leaks.ts tells the daemon's networks apart. */
const prefixOf = (subnet: string) => subnet.split('.').slice(0, 2).join('.') + '.';

describe('RUN on the build network (needs root: runc, CNI plugins, iptables, netns)', () => {
  let d: ContainerTestDaemon;
  let ctx: string;
  let nets: { bridge: string; subnet: string }[] = [];
  const footprint = () => networkFootprint(d.root, d.dataRoot, nets, []);
  const build = (args: string[]) => d.docker(['build', '--no-cache', ...args, ctx]);

  before(async () => {
    d = await startContainerDaemon();
    ctx = await writeContext({ Dockerfile: REPORT });
    const appId = await d.ok(['network', 'create', '--subnet', '10.236.0.0/24', 'app']);
    const bridge = JSON.parse(await d.ok(['network', 'inspect', 'bridge'])) as {
      Options: Record<string, string>;
      IPAM: { Config: { Subnet: string }[] };
    }[];
    nets = [
      { bridge: bridge[0]!.Options['com.docker.network.bridge.name']!, subnet: bridge[0]!.IPAM.Config[0]!.Subnet },
      { bridge: `br-${appId.slice(0, 12)}`, subnet: '10.236.0.0/24' },
    ];
    // The first attachments create the bridges and the plugins' shared chains, which stay.
    await d.ok(['run', '--rm', 'busybox', 'true']);
    await d.ok(['run', '--rm', '--network', 'app', 'busybox', 'true']);
  });
  after(() => d.cleanUp());

  test('by default RUN has an address on the default bridge and the host resolvers minus loopback', async () => {
    const r = await build([]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const addrs = reported(r.stdout, 'addrs');
    assert.match(addrs, new RegExp(`eth0=${prefixOf(nets[0]!.subnet).replaceAll('.', '\\.')}`));
    assert.doesNotMatch(reported(r.stdout, 'dns'), /nameserver (127\.|::1)/);
  });

  test('--network host shows the host interfaces, the daemon bridge among them', async () => {
    const r = await build(['--network', 'host']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(reported(r.stdout, 'addrs'), new RegExp(`${nets[0]!.bridge}=`));
  });

  test('--network none has the loopback only', async () => {
    const r = await build(['--network', 'none']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(reported(r.stdout, 'addrs'), 'lo=127.0.0.1/8');
  });

  test('a user-defined network gives an address in its subnet and its DNS responder', async () => {
    const r = await build(['--network', 'app']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(reported(r.stdout, 'addrs'), /eth0=10\.236\.0\./);
    assert.equal(reported(r.stdout, 'dns'), 'nameserver 10.236.0.1');
  });

  test('an unknown network fails the build before any step, naming the network', async () => {
    const r = await build(['--network', 'nosuchnet']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /nosuchnet/);
    assert.doesNotMatch(r.stdout, /Step 1/);
  });

  test("RUN resolves Debian's mirror through the host's resolvers", async () => {
    const dir = await writeContext({ Dockerfile: 'FROM busybox\nRUN nslookup deb.debian.org\n' });
    const r = await d.docker(['build', '--no-cache', dir]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Address: \d+\.\d+\.\d+\.\d+/);
  });

  test('builds leave no veth, IPAM lease, iptables rule or netns mount behind, failed steps included', async () => {
    const base = await footprint();
    for (const network of ['default', 'app']) assert.equal((await build(['--network', network])).code, 0);
    const failing = await writeContext({ Dockerfile: 'FROM busybox\nRUN ip addr && false\n' });
    const r = await d.docker(['build', '--network', 'app', failing]);
    assert.notEqual(r.code, 0);
    assert.deepEqual(await footprint(), base);
  });
});
