import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { portMapView, portSummaryView } from './views.js';

describe('port views', () => {
  const ports = [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }];

  test('NetworkSettings.Ports lists bindings and shows exposed-only ports as null', () => {
    assert.deepEqual(portMapView(ports, ['80/tcp', '443/tcp']), {
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '443/tcp': null,
    });
  });

  test('ps Ports carries the host side only for published ports', () => {
    assert.deepEqual(portSummaryView(ports, ['80/tcp', '53/udp']), [
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
    ]);
  });
});
