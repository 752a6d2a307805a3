import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startContainerDaemon, eventually, type ContainerTestDaemon } from '../support/containers.js';
import { networkFootprint, quietFootprint } from '../support/network-leaks.js';

const run = promisify(execFile);

/**
 * The sandboxes berthd attaches ahead of need (network/sandbox-pool.ts):
 * a plain start takes one, the pool makes the next, and nothing is left
 * once a network goes, berthd stops or berthd crashes.
 */
describe('network sandboxes attached ahead of need (needs root: CNI plugins, iptables, netns)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);
  const pooled = async () =>
    (await readdir(join(d.root, 'run', 'netns')).catch(() => [])).filter((f) => f.startsWith('pool-'));
  /** The CNI container ID host-local recorded for an address of a network. */
  const leaseOwner = async (networkId: string, address: string) =>
    (await readFile(join(d.dataRoot, 'networks', 'ipam', networkId.slice(0, 12), address), 'utf8')).split(/\s/)[0] ??
    '';
  const address = (name: string, network: string) =>
    d.inspect(`{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name);

  test('a plain start takes a pooled sandbox: its address, a working network, its own SandboxKey', async () => {
    const id = await ok(['network', 'create', '--subnet', '10.237.0.0/24', 'pooled']);
    await ok(['run', '--rm', '--network', 'pooled', 'busybox', 'true']);
    await eventually(async () => (await pooled()).length === 2, 'two sandboxes made ahead');
    const cid = await ok(['run', '-d', '--network', 'pooled', '--name', 'p1', 'busybox', 'sleep', '300']);
    const ip = await address('p1', 'pooled');
    assert.match(await leaseOwner(id, ip), /^pool-/, 'the address came from a sandbox made ahead');
    assert.match(await ok(['exec', 'p1', 'ip', '-o', '-4', 'addr', 'show', 'eth0']), new RegExp(`inet ${ip}/24`));
    await ok(['exec', 'p1', 'ping', '-c1', '-W2', '10.237.0.1']);
    assert.equal(await d.inspect('{{.NetworkSettings.SandboxKey}}', 'p1'), join(d.root, 'run', 'netns', cid));
    await ok(['run', '--rm', '--network', 'pooled', 'busybox', 'ping', '-c1', '-W2', 'p1']);
    await ok(['rm', '-f', 'p1']);
    await assert.rejects(readFile(join(d.dataRoot, 'networks', 'ipam', id.slice(0, 12), ip)), 'its lease is released');
    assert.ok((await pooled()).length <= 2);
    await ok(['network', 'rm', 'pooled']);
  });

  test('a fixed --ip a pooled sandbox holds, and the last free address, are given up by the pool', async () => {
    const id = await ok(['network', 'create', '--subnet', '10.238.0.0/29', 'tiny']);
    await ok(['run', '--rm', '--network', 'tiny', 'busybox', 'true']);
    await eventually(async () => (await pooled()).length >= 2, 'sandboxes made ahead on tiny');
    const held = (await readdir(join(d.dataRoot, 'networks', 'ipam', id.slice(0, 12)))).filter((f) => /^\d/.test(f));
    assert.ok(held.length > 0);
    await ok(['run', '-d', '--network', 'tiny', '--ip', held[0]!, '--name', 'fixed', 'busybox', 'sleep', '300']);
    assert.equal(await address('fixed', 'tiny'), held[0]);
    // A /29 has five addresses for containers: every one can be used although the pool held some.
    for (let i = 0; i < 4; i++)
      await ok(['run', '-d', '--network', 'tiny', '--name', `t${i}`, 'busybox', 'sleep', '300']);
    const full = await d.docker(['run', '--rm', '--network', 'tiny', 'busybox', 'true']);
    assert.notEqual(full.code, 0);
    assert.match(full.stderr, /no IP addresses available/);
    await ok(['rm', '-f', 'fixed', 't0', 't1', 't2', 't3']);
    await ok(['network', 'rm', 'tiny']);
    assert.deepEqual(await pooled(), []);
  });

  test('network rm, a stop and a crash of berthd leave nothing the pool made', async () => {
    await ok(['network', 'create', '--subnet', '10.239.0.0/24', 'gone']);
    await ok(['run', '--rm', '--network', 'gone', 'busybox', 'true']);
    await ok(['run', '--rm', 'busybox', 'true']);
    await eventually(async () => (await pooled()).length === 4, 'two sandboxes made ahead on gone and on bridge');
    // A second daemon on the same roots stops before its startup reconcile could undo the first one's.
    const second = await run(process.execPath, [
      join(import.meta.dirname, '../../src/bin/berthd.js'),
      '--data-root',
      d.dataRoot,
      '--exec-root',
      join(d.root, 'run'),
      '--host',
      `unix://${join(d.root, 'second.sock')}`,
    ]).then(
      () => assert.fail('a second berthd started on the same data root'),
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(second, /another berthd \(pid \d+\) is using /);
    assert.equal((await pooled()).length, 4);
    await ok(['network', 'rm', 'gone']);
    assert.equal((await pooled()).length, 2);

    const bridge = JSON.parse(await ok(['network', 'inspect', 'bridge'])) as {
      Options: Record<string, string>;
      IPAM: { Config: { Subnet: string }[] };
    }[];
    const nets = [
      { bridge: bridge[0]!.Options['com.docker.network.bridge.name']!, subnet: bridge[0]!.IPAM.Config[0]!.Subnet },
    ];
    const leases = async () => {
      const dir = join(d.dataRoot, 'networks', 'ipam');
      const all = await Promise.all((await readdir(dir)).map((n) => readdir(join(dir, n))));
      return all.flat().filter((f) => /^\d/.test(f)).length;
    };
    const veths = async () => (await readdir(`/sys/class/net/${nets[0]!.bridge}/brif`)).length;
    await d.kill();
    await d.restart();
    assert.deepEqual(await pooled(), [], 'the restart undid what the crashed daemon made ahead');
    assert.equal(await leases(), 0);
    assert.equal(await veths(), 0);
    const base = await networkFootprint(d.root, d.dataRoot, nets, []);
    await ok(['run', '--rm', 'busybox', 'true']);
    await eventually(async () => (await pooled()).length === 2, 'the pool refills after a start');
    assert.deepEqual(await quietFootprint(() => networkFootprint(d.root, d.dataRoot, nets, [])), base);
    // A graceful stop (SIGTERM, as `systemctl stop` sends) without the test daemon's clean-up of its root.
    const pid = Number((await run('pgrep', ['-f', '--', `--data-root ${d.dataRoot}`])).stdout.trim());
    process.kill(pid, 'SIGTERM');
    await eventually(async () => !(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')), 'berthd exits');
    assert.deepEqual(await pooled(), [], 'a stop undoes them too');
    assert.equal(await leases(), 0);
    await d.restart();
  });
});
