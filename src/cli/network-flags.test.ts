import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { networkSettings, parsePublish } from './network-flags.js';

describe('run networking flags', () => {
  const table: [string, string, { HostIp: string; HostPort: string }][] = [
    ['80', '80/tcp', { HostIp: '', HostPort: '' }],
    ['8080:80', '80/tcp', { HostIp: '', HostPort: '8080' }],
    ['127.0.0.1:8080:80/udp', '80/udp', { HostIp: '127.0.0.1', HostPort: '8080' }],
    ['127.0.0.1::80', '80/tcp', { HostIp: '127.0.0.1', HostPort: '' }],
  ];
  for (const [spec, key, binding] of table) {
    test(`-p ${spec} binds ${key} to ${JSON.stringify(binding)}`, () => {
      assert.deepEqual(parsePublish(spec), [{ key, binding }]);
    });
  }

  test('port ranges: one key per container port, paired with a host range, or a host range to pick from', () => {
    assert.deepEqual(parsePublish('8000-8001:80-81/udp'), [
      { key: '80/udp', binding: { HostIp: '', HostPort: '8000' } },
      { key: '81/udp', binding: { HostIp: '', HostPort: '8001' } },
    ]);
    assert.deepEqual(parsePublish('127.0.0.1:8000-8010:80'), [
      { key: '80/tcp', binding: { HostIp: '127.0.0.1', HostPort: '8000-8010' } },
    ]);
    assert.deepEqual(
      parsePublish('90-91').map((p) => p.key),
      ['90/tcp', '91/tcp'],
    );
    assert.throws(() => parsePublish('8000-8002:80-81'), /invalid ranges specified for container and host Ports/);
  });

  for (const bad of ['x', '80/xtp', '1:2:3:4', 'a:80', '82-80']) {
    test(`-p ${bad} is refused`, () => assert.throws(() => parsePublish(bad), /invalid/));
  }

  test('--network, --network-alias and --ip fill NetworkMode and that network’s endpoint settings', () => {
    const s = networkSettings({
      network: 'app',
      networkAlias: ['db'],
      ip: '10.0.0.5',
      publish: ['80'],
      expose: ['81'],
    });
    assert.equal(s.hostConfig.NetworkMode, 'app');
    assert.deepEqual(s.networkingConfig, {
      EndpointsConfig: { app: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.0.0.5' } } },
    });
    assert.deepEqual(Object.keys(s.config.ExposedPorts ?? {}).sort(), ['80/tcp', '81/tcp']);
  });
});
