import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesNetworkFilters, type NetworkFilters } from './filters.js';
import type { Endpoint, Network } from './types.js';

const spec = { internal: false, options: {} };
const app: Network = {
  id: 'abc123',
  name: 'app',
  created: 0,
  spec: { ...spec, driver: 'bridge', labels: { team: 'a' } },
};
const host: Network = { id: 'def456', name: 'host', created: 0, spec: { ...spec, driver: 'host', labels: {} } };
const used: Endpoint[] = [{ containerId: 'c', networkId: 'abc123', config: { containerName: 'c', aliases: [] } }];

describe('network list filters', () => {
  const table: [NetworkFilters, Endpoint[], string[]][] = [
    [{}, [], ['app', 'host']],
    [{ name: ['ap'] }, [], ['app']],
    [{ id: ['def'] }, [], ['host']],
    [{ driver: ['host'] }, [], ['host']],
    [{ type: ['custom'] }, [], ['app']],
    [{ type: ['builtin'] }, [], ['host']],
    [{ label: ['team'] }, [], ['app']],
    [{ label: ['team=b'] }, [], []],
    [{ dangling: ['true'] }, [], ['app']],
    [{ dangling: ['true'] }, used, []],
    [{ dangling: ['false'] }, used, ['app', 'host']],
  ];
  for (const [filters, endpoints, want] of table) {
    test(`${JSON.stringify(filters)} with ${endpoints.length} endpoints keeps ${want.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(
        [app, host].filter((n) => matchesNetworkFilters(n, filters, endpoints)).map((n) => n.name),
        want,
      );
    });
  }
});
