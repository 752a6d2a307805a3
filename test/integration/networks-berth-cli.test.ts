import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

describe('berth network and berth port (needs root: CNI plugins, iptables, netns)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const berth = async (args: string[]) => {
    const r = await d.berth(args);
    assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };

  test('network create, ls, inspect, connect, disconnect and rm round-trip', async () => {
    const id = await berth(['network', 'create', '--subnet', '10.234.0.0/24', '--label', 'team=x', 'teamnet']);
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(await berth(['network', 'ls', '-q', '-f', 'label=team=x']), id.slice(0, 12));
    const table = await berth(['network', 'ls']);
    assert.match(table.split('\n')[0]!, /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
    assert.equal(
      await berth(['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}', 'teamnet']),
      '10.234.0.0/24 10.234.0.1',
    );
    await berth(['run', '-d', '--name', 'member', 'busybox', 'sleep', '100']);
    await berth(['network', 'connect', '--alias', 'm2', 'teamnet', 'member']);
    assert.match(
      await berth(['network', 'inspect', '-f', '{{range .Containers}}{{.Name}}{{end}}', 'teamnet']),
      /^member$/,
    );
    await berth(['network', 'disconnect', 'teamnet', 'member']);
    await berth(['rm', '-f', 'member']);
    assert.equal(await berth(['network', 'rm', 'teamnet']), 'teamnet');
  });

  test('run -p and --network-alias, then berth port lists the binding', async () => {
    await berth(['network', 'create', 'portnet']);
    await berth([
      'run',
      '-d',
      '--name',
      'pub',
      '--network',
      'portnet',
      '--network-alias',
      'svc',
      '-p',
      '127.0.0.1::80',
      'busybox',
      'sleep',
      '100',
    ]);
    assert.match(await berth(['port', 'pub']), /^80\/tcp -> 127\.0\.0\.1:\d+$/);
    assert.match(await berth(['port', 'pub', '80']), /^127\.0\.0\.1:\d+$/);
    await berth(['run', '--rm', '--network', 'portnet', 'busybox', 'ping', '-c1', 'svc']);
    await berth(['rm', '-f', 'pub']);
    await berth(['network', 'rm', 'portnet']);
  });
});
