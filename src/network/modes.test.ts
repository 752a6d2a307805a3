import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bridgeConfigList } from './conflist.js';
import { endpointConfig, parseNetworkMode } from './modes.js';

describe('network modes', () => {
  const table: [string | undefined, ReturnType<typeof parseNetworkMode>][] = [
    [undefined, { kind: 'network', ref: 'bridge' }],
    ['default', { kind: 'network', ref: 'bridge' }],
    ['bridge', { kind: 'network', ref: 'bridge' }],
    ['none', { kind: 'none' }],
    ['host', { kind: 'host' }],
    ['container:web', { kind: 'container', ref: 'web' }],
    ['app', { kind: 'network', ref: 'app' }],
  ];
  for (const [mode, want] of table) {
    test(`NetworkMode ${JSON.stringify(mode)} is ${JSON.stringify(want)}`, () => {
      assert.deepEqual(parseNetworkMode(mode), want);
    });
  }

  test('container: without a reference is refused', () => {
    assert.throws(() => parseNetworkMode('container:'), /invalid network mode/);
  });

  test('aliases and fixed addresses are refused on the default bridge, as Docker does', () => {
    const def = { name: 'bridge', spec: { isDefault: true } };
    assert.throws(() => endpointConfig(def, 'c', { Aliases: ['a'] }), /only for containers in user defined networks/);
    assert.throws(
      () => endpointConfig(def, 'c', { IPAMConfig: { IPv4Address: '172.17.0.9' } }),
      /supported on user defined networks only/,
    );
    const app = { name: 'app', spec: { subnet: '10.0.0.0/24' } };
    assert.throws(
      () => endpointConfig(app, 'c', { IPAMConfig: { IPv4Address: '10.1.0.5' } }),
      /Invalid address 10\.1\.0\.5: It does not belong to any of this network's subnets/,
    );
    assert.deepEqual(endpointConfig(app, 'c', { Aliases: ['a'], IPAMConfig: { IPv4Address: '10.0.0.5' } }), {
      containerName: 'c',
      aliases: ['a'],
      ipv4: '10.0.0.5',
    });
  });

  test('--mac-address is kept for the bridge plugin, on any network, and a malformed one is refused', () => {
    const def = { name: 'bridge', spec: { isDefault: true } };
    assert.deepEqual(endpointConfig(def, 'c', { MacAddress: '02:42:AC:11:00:99' }), {
      containerName: 'c',
      aliases: [],
      mac: '02:42:ac:11:00:99',
    });
    assert.throws(() => endpointConfig(def, 'c', { MacAddress: '02:42:ac:11:00' }), /invalid MAC address/);
  });

  test('a fixed address and MAC reach the bridge plugin through its capabilities', () => {
    const n = {
      id: 'a'.repeat(64),
      name: 'app',
      created: 0,
      spec: {
        driver: 'bridge' as const,
        bridge: 'br-x',
        subnet: '10.0.0.0/24',
        internal: false,
        labels: {},
        options: {},
      },
    };
    const [bridge] = bridgeConfigList(n, '/ipam', { ipv4: '10.0.0.5', mac: '02:42:ac:11:00:99' }).plugins;
    assert.deepEqual(bridge?.capabilities, { ips: true, mac: true });
    assert.deepEqual(bridge?.runtimeConfig, { ips: ['10.0.0.5/24'], mac: '02:42:ac:11:00:99' });
    const [plain] = bridgeConfigList(n, '/ipam').plugins;
    assert.equal(plain?.capabilities, undefined);
  });
});
