import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

/** GET from the host, as a client of a published port would. */
function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const HTTPD = ['sh', '-c', 'mkdir -p /www && echo hello from berth > /www/index.html && exec httpd -f -p 80 -h /www'];

/** Retries a fetch while the server in the container starts. */
async function fetchEventually(url: string): Promise<{ status: number; body: string }> {
  for (let i = 0; ; i++) {
    try {
      return await fetchText(url);
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('networks with the docker CLI against berthd (needs root: CNI plugins, iptables, netns)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);

  test('network ls lists bridge, host and none as Docker does', async () => {
    const out = await ok(['network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']);
    assert.deepEqual(out.split('\n').sort(), ['bridge bridge local', 'host host local', 'none null local']);
  });

  test('containers on a user-defined network reach each other by name and alias, and stop resolving once removed', async () => {
    await ok(['network', 'create', 'app']);
    await ok([
      'run',
      '-d',
      '--network',
      'app',
      '--network-alias',
      'database',
      '--name',
      'db',
      'busybox',
      'sleep',
      '1000',
    ]);
    await ok(['run', '--rm', '--network', 'app', 'busybox', 'ping', '-c1', 'db']);
    await ok(['run', '--rm', '--network', 'app', 'busybox', 'ping', '-c1', 'database']);
    const ip = await d.inspect('{{.NetworkSettings.Networks.app.IPAddress}}', 'db');
    const looked = await ok(['run', '--rm', '--network', 'app', 'busybox', 'nslookup', 'db']);
    assert.match(looked, new RegExp(`Address: ${ip.replace(/\./g, '\\.')}`));
    const inspect = JSON.parse(await ok(['network', 'inspect', 'app'])) as {
      Containers: Record<string, { Name: string; IPv4Address: string; MacAddress: string; EndpointID: string }>;
      IPAM: { Config: { Subnet: string; Gateway: string }[] };
    }[];
    const members = Object.values(inspect[0]!.Containers);
    assert.equal(members.length, 1);
    assert.equal(members[0]!.Name, 'db');
    assert.match(members[0]!.IPv4Address, new RegExp(`^${ip.replace(/\./g, '\\.')}/\\d+$`));
    assert.match(members[0]!.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    // ps --filter network= takes the name or a prefix of the ID, as Docker's does.
    const psNames = (filter: string) => ok(['ps', '--filter', filter, '--format', '{{.Names}}']);
    const appId = await ok(['network', 'inspect', '-f', '{{.Id}}', 'app']);
    assert.equal(await psNames('network=app'), 'db');
    assert.equal(await psNames(`network=${appId.slice(0, 10)}`), 'db');
    assert.equal(await psNames('network=bridge'), '');
    await ok(['rename', 'db', 'db2']);
    await ok(['run', '--rm', '--network', 'app', 'busybox', 'ping', '-c1', 'db2']);
    await ok(['rm', '-f', 'db2']);
    const gone = await d.docker(['run', '--rm', '--network', 'app', 'busybox', 'ping', '-c1', '-W1', 'db2']);
    assert.notEqual(gone.code, 0, 'a removed container no longer resolves');
    await ok(['network', 'rm', 'app']);
  });

  test('on the default bridge a container name does not resolve, and /etc/hosts names the container at its address', async () => {
    await ok(['run', '-d', '--name', 'quiet', 'busybox', 'sleep', '1000']);
    const r = await d.docker(['run', '--rm', 'busybox', 'ping', '-c1', '-W1', 'quiet']);
    assert.notEqual(r.code, 0);
    const ip = await d.inspect('{{.NetworkSettings.IPAddress}}', 'quiet');
    const hosts = await ok(['exec', 'quiet', 'cat', '/etc/hosts']);
    const id = (await d.inspect('{{.Id}}', 'quiet')).slice(0, 12);
    assert.match(hosts, new RegExp(`^${ip.replace(/\./g, '\\.')}\\t${id}$`, 'm'));
    await ok(['rm', '-f', 'quiet']);
  });

  test('-p 127.0.0.1:<port>:80 serves busybox httpd to the host; docker port and ps show the binding', async () => {
    const port = await freePort();
    await ok(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, 'busybox', ...HTTPD]);
    const page = await fetchEventually(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.equal(page.body, 'hello from berth\n');
    assert.equal(await ok(['port', 'web']), `80/tcp -> 127.0.0.1:${port}`);
    assert.match(
      await ok(['ps', '--filter', 'name=web', '--format', '{{.Ports}}']),
      new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp`),
    );
    await ok(['stop', '-t', '1', 'web']);
    await assert.rejects(fetchText(`http://127.0.0.1:${port}/`), 'released on stop');
    await ok(['rm', 'web']);
  });

  test("what a --rm container's network held is free as soon as it is removed: its port, its network", async () => {
    const port = await freePort();
    await ok(['network', 'create', 'brief']);
    // The exit's CNI DEL runs in the background; a start that needs the port waits for it.
    await ok(['run', '--rm', '--network', 'brief', '-p', `127.0.0.1:${port}:80`, 'busybox', 'true']);
    await ok(['run', '-d', '--name', 'again', '--network', 'brief', '-p', `127.0.0.1:${port}:80`, 'busybox', ...HTTPD]);
    assert.equal((await fetchEventually(`http://127.0.0.1:${port}/`)).status, 200);
    await ok(['stop', '-t', '0', 'again']);
    assert.equal(await d.inspect('{{.NetworkSettings.Networks.brief.IPAddress}}', 'again'), '');
    await ok(['rm', 'again']);
    await ok(['run', '--rm', '--network', 'brief', 'busybox', 'true']);
    await ok(['network', 'rm', 'brief']);
  });

  test('-P publishes exposed ports on ephemeral host ports; -p <port> picks one too', async () => {
    await ok(['run', '-d', '--name', 'pub', '--expose', '80', '-P', '-p', '81', 'busybox', ...HTTPD]);
    const lines = (await ok(['port', 'pub'])).split('\n').sort();
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /^80\/tcp -> 0\.0\.0\.0:\d+$/);
    assert.match(lines[1]!, /^81\/tcp -> 0\.0\.0\.0:\d+$/);
    const port = Number(/:(\d+)$/.exec(lines[0]!)![1]);
    assert.equal((await fetchEventually(`http://127.0.0.1:${port}/`)).status, 200);
    await ok(['rm', '-f', 'pub']);
  });

  test('a host port already in use fails the start with a clear error; from a range a free one is taken', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await d.docker([
        'run',
        '-d',
        '--name',
        'clash',
        '-p',
        `127.0.0.1:${port}:80`,
        'busybox',
        'sleep',
        '100',
      ]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*address already in use`));
      assert.equal(await d.inspect('{{.State.Running}}', 'clash'), 'false');
      await ok(['rm', 'clash']);
      // From a range, berth takes the first port that is free.
      await ok(['run', '-d', '--name', 'ranged', '-p', `127.0.0.1:${port}-${port + 2}:80`, 'busybox', ...HTTPD]);
      assert.equal(await ok(['port', 'ranged', '80']), `127.0.0.1:${port + 1}`);
      assert.equal((await fetchEventually(`http://127.0.0.1:${port + 1}/`)).status, 200);
      await ok(['rm', '-f', 'ranged']);
    } finally {
      server.close();
    }
  });

  test('bad input gets one clear line and creates nothing', async () => {
    await ok(['network', 'create', '--subnet', '10.231.0.0/16', 'first']);
    const overlap = await d.docker(['network', 'create', '--subnet', '10.231.5.0/24', 'second']);
    assert.notEqual(overlap.code, 0);
    assert.match(overlap.stderr, /Pool overlaps with other one on this address space/);
    assert.doesNotMatch(await ok(['network', 'ls']), /second/);
    const unknown = await d.docker(['run', '--name', 'lost', '--network', 'nope', 'busybox', 'true']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /network nope not found/);
    assert.equal(await ok(['ps', '-aq', '--filter', 'name=lost']), '');
    const outside = await d.docker([
      'run',
      '--name',
      'astray',
      '--network',
      'first',
      '--ip',
      '10.99.0.5',
      'busybox',
      'true',
    ]);
    assert.match(outside.stderr, /Invalid address 10\.99\.0\.5: It does not belong to any of this network's subnets/);
    assert.equal(await ok(['ps', '-aq', '--filter', 'name=astray']), '');
    await ok(['run', '-d', '--name', 'member', '--network', 'first', 'busybox', 'sleep', '100']);
    const busy = await d.api('DELETE', '/networks/first');
    assert.equal(busy.status, 409);
    assert.match(busy.body, /has active endpoints/);
    const unknownRm = await d.docker(['network', 'rm', 'nope']);
    assert.match(unknownRm.stderr, /network nope not found/);
    const driver = await d.docker(['network', 'create', '-d', 'overlay', 'ov']);
    assert.match(driver.stderr, /only bridge networks/);
    await ok(['rm', '-f', 'member']);
    await ok(['network', 'rm', 'first']);
  });

  test('--network none has only loopback, host shares the host, container: shares another container', async () => {
    assert.equal(await ok(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'ls /sys/class/net']), 'lo');
    const hostLinks = await ok(['run', '--rm', '--network', 'host', 'busybox', 'ls', '/sys/class/net']);
    assert.match(hostLinks, /eth0|ens|enp/);
    await ok(['run', '-d', '--name', 'owner', 'busybox', 'sleep', '1000']);
    const ip = await d.inspect('{{.NetworkSettings.IPAddress}}', 'owner');
    const shared = await ok([
      'run',
      '--rm',
      '--network',
      'container:owner',
      'busybox',
      'ip',
      '-4',
      'addr',
      'show',
      'eth0',
    ]);
    assert.match(shared, new RegExp(`inet ${ip.replace(/\./g, '\\.')}/`));
    await ok(['rm', '-f', 'owner']);
  });

  test('--hostname, --add-host (host-gateway too), --dns, --dns-search and --dns-option shape /etc files', async () => {
    const out = await ok([
      'run',
      '--rm',
      '--hostname',
      'box',
      '--add-host',
      'db.local:10.1.2.3',
      '--add-host',
      'gw:host-gateway',
      '--dns',
      '10.9.9.9',
      '--dns-search',
      'example.test',
      '--dns-option',
      'ndots:2',
      'busybox',
      'sh',
      '-c',
      'hostname; cat /etc/hosts /etc/resolv.conf',
    ]);
    assert.match(out, /^box$/m);
    assert.match(out, /^10\.1\.2\.3\tdb\.local$/m);
    assert.match(out, /^\d+\.\d+\.\d+\.1\tgw$/m);
    assert.match(out, /^nameserver 10\.9\.9\.9$/m);
    assert.match(out, /^search example\.test$/m);
    assert.match(out, /^options ndots:2$/m);
  });

  test('connect and disconnect a running container; --internal networks have no route out', async () => {
    await ok(['network', 'create', '--internal', '--subnet', '10.232.0.0/24', '--gateway', '10.232.0.254', 'inner']);
    await ok(['run', '-d', '--name', 'joiner', 'busybox', 'sleep', '1000']);
    await ok(['network', 'connect', '--alias', 'j2', '--ip', '10.232.0.7', 'inner', 'joiner']);
    assert.match(await ok(['exec', 'joiner', 'ip', '-4', 'addr']), /inet 10\.232\.0\.7\/24/);
    await ok(['run', '--rm', '--network', 'inner', 'busybox', 'ping', '-c1', 'j2']);
    const routes = await ok(['run', '--rm', '--network', 'inner', 'busybox', 'ip', 'route']);
    assert.doesNotMatch(routes, /default/);
    const nets = await d.inspect('{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', 'joiner');
    assert.deepEqual(nets.trim().split(' ').sort(), ['bridge', 'inner']);
    await ok(['network', 'disconnect', 'inner', 'joiner']);
    assert.doesNotMatch(await ok(['exec', 'joiner', 'ip', '-4', 'addr']), /10\.232\.0\.7/);
    await ok(['rm', '-f', 'joiner']);
    await ok(['network', 'rm', 'inner']);
  });

  test('--mac-address sets the interface address, on the default bridge and a user-defined network', async () => {
    const link = await ok('run --rm --mac-address 02:42:ac:11:00:99 busybox ip link show eth0'.split(' '));
    assert.match(link, /link\/ether 02:42:ac:11:00:99 /);
    await ok(['network', 'create', 'macs']);
    await ok('run -d --name mac1 --network macs --mac-address 02:42:ac:11:00:98 busybox sleep 100'.split(' '));
    assert.equal(await d.inspect('{{.NetworkSettings.Networks.macs.MacAddress}}', 'mac1'), '02:42:ac:11:00:98');
    await ok(['rm', '-f', 'mac1']);
    await ok(['network', 'rm', 'macs']);
  });

  test('networks are isolated from each other, as in Docker, and their rules go with them', async () => {
    await ok(['network', 'create', 'iso1']);
    await ok(['network', 'create', 'iso2']);
    await ok(['run', '-d', '--name', 'web1', '--network', 'iso1', 'busybox', ...HTTPD]);
    const ip = await d.inspect('{{.NetworkSettings.Networks.iso1.IPAddress}}', 'web1');
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} 80`;
    const fetchFrom = (network: string) => d.docker(['run', '--rm', '--network', network, 'busybox', 'sh', '-c', get]);
    let same = await fetchFrom('iso1');
    for (let i = 0; same.code !== 0 && i < 20; i++) same = await fetchFrom('iso1');
    assert.match(same.stdout, /hello from berth/, same.stderr);
    for (const other of ['iso2', 'bridge']) {
      assert.notEqual((await fetchFrom(other)).code, 0, `reached iso1 from ${other}`);
    }
    const ids = await Promise.all(['iso1', 'iso2'].map((n) => ok(['network', 'inspect', '-f', '{{.Id}}', n])));
    const bridges = ids.map((id) => `br-${id.slice(0, 12)}`);
    await ok(['rm', '-f', 'web1']);
    await ok(['network', 'rm', 'iso1', 'iso2']);
    const { stdout } = await promisify(execFile)('iptables-save');
    for (const br of bridges) assert.ok(!stdout.includes(br), `rules of ${br} left behind`);
  });

  test('network ls filters and prune removes only unused user-defined networks', async () => {
    await ok(['network', 'create', '--label', 'team=a', 'la']);
    await ok(['network', 'create', 'lb']);
    assert.equal(await ok(['network', 'ls', '-q', '--filter', 'label=team=a', '--format', '{{.Name}}']), 'la');
    assert.equal(await ok(['network', 'ls', '--filter', 'type=custom', '--format', '{{.Name}}']), 'la\nlb');
    await ok(['run', '-d', '--name', 'keeper', '--network', 'lb', 'busybox', 'sleep', '100']);
    const pruned = await ok(['network', 'prune', '-f']);
    assert.match(pruned, /la/);
    assert.doesNotMatch(pruned, /lb/);
    await ok(['rm', '-f', 'keeper']);
    await ok(['network', 'rm', 'lb']);
  });
});
