import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { startContainerDaemon, eventually, type ContainerTestDaemon } from '../support/containers.js';
import { networkFootprint, quietFootprint, type NetworkFootprint } from '../support/network-leaks.js';

function fetchStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

const HTTPD = ['sh', '-c', 'mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 80 -h /www'];

describe('network clean-up and live restore (needs root: CNI plugins, iptables, netns)', () => {
  let d: ContainerTestDaemon;
  let nets: { bridge: string; subnet: string }[] = [];
  const ids: string[] = [];

  const ok = (args: string[]) => d.ok(args);
  const footprint = (): Promise<NetworkFootprint> => networkFootprint(d.root, d.dataRoot, nets, ids);
  const run = async (args: string[]) => {
    const id = await ok(['run', '-d', ...args]);
    ids.push(id);
    return id;
  };

  before(async () => {
    d = await startContainerDaemon();
    const appId = await ok(['network', 'create', '--subnet', '10.233.0.0/24', 'app']);
    const bridge = JSON.parse(await ok(['network', 'inspect', 'bridge'])) as {
      Options: Record<string, string>;
      IPAM: { Config: { Subnet: string }[] };
    }[];
    nets = [
      { bridge: bridge[0]!.Options['com.docker.network.bridge.name']!, subnet: bridge[0]!.IPAM.Config[0]!.Subnet },
      { bridge: `br-${appId.slice(0, 12)}`, subnet: '10.233.0.0/24' },
    ];
    // The first attachment creates the bridges and the plugins' shared chains, which stay (as docker0 does).
    await ok(['run', '--rm', '-p', '127.0.0.1:0:80', 'busybox', 'true']);
    await ok(['run', '--rm', '--network', 'app', 'busybox', 'true']);
  });
  after(() => d.cleanUp());

  test('stop and rm leave no veth, iptables rule, IPAM lease or netns mount behind', async () => {
    const base = await quietFootprint(footprint);
    await run(['--name', 'a1', '--network', 'app', '-p', '127.0.0.1::80', 'busybox', ...HTTPD]);
    await run(['--name', 'a2', '-p', '127.0.0.1::80', 'busybox', ...HTTPD]);
    const busy = await footprint();
    assert.equal(busy.veths, base.veths + 2);
    assert.equal(busy.ipamLeases, base.ipamLeases + 2);
    assert.equal(busy.netnsMounts, base.netnsMounts + 2);
    assert.ok(busy.iptablesLines > base.iptablesLines, 'port and masquerade rules while running');
    await ok(['stop', '-t', '0', 'a1']);
    await ok(['rm', '-f', 'a2']);
    assert.deepEqual(await footprint(), base);
    await ok(['rm', 'a1']);
    assert.deepEqual(await footprint(), base);
  });

  test('after kill -9 of berthd, a container that exited meanwhile is cleaned up and a running one keeps its network', async () => {
    const base = await quietFootprint(footprint);
    await run(['--name', 'gone', '--network', 'app', '-p', '127.0.0.1::80', 'busybox', ...HTTPD]);
    await run(['--name', 'stays', '--network', 'app', '-p', '127.0.0.1::80', 'busybox', ...HTTPD]);
    const port = /:(\d+)$/.exec(await ok(['port', 'stays', '80']))![1];
    const url = `http://127.0.0.1:${port}/`;
    await eventually(
      () =>
        fetchStatus(url).then(
          (s) => s === 200,
          () => false,
        ),
      'httpd answers',
    );
    const pid = Number(await d.inspect('{{.State.Pid}}', 'gone'));
    await d.kill();
    process.kill(pid, 'SIGKILL');
    assert.equal(await fetchStatus(url), 200, 'the published port works while berthd is down');
    await d.restart();
    assert.equal(await d.inspect('{{.State.Status}}', 'gone'), 'exited');
    assert.equal(await fetchStatus(url), 200, 'and after the restart');
    await ok(['run', '--rm', '--network', 'app', 'busybox', 'ping', '-c1', 'stays']);
    await ok(['rm', '-f', 'stays', 'gone']);
    // The --rm ping's release may still be running.
    assert.deepEqual(await quietFootprint(footprint), base);
  });
});
