import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRows } from './format.js';
import { VOLUME_HEADERS, volumeFormat, volumeRows } from './volume-format.js';
import type { Api } from '../spec/index.js';

const volume = (name: string, labels: Record<string, string> = {}): Api.Volume => ({
  Name: name,
  Driver: 'local',
  Mountpoint: `/var/lib/berth/volumes/${name}/_data`,
  Labels: labels,
  Scope: 'local',
  Options: {},
});

test('volume ls prints a DRIVER / VOLUME NAME table sorted by name', () => {
  const out = formatRows(
    volumeFormat('', { quiet: false }),
    volumeRows([volume('zeta'), volume('alpha')]),
    VOLUME_HEADERS,
  );
  assert.equal(out, 'DRIVER    VOLUME NAME\nlocal     alpha\nlocal     zeta\n');
});

test('volume ls -q prints names only', () => {
  assert.equal(formatRows(volumeFormat('', { quiet: true }), volumeRows([volume('a1')]), VOLUME_HEADERS), 'a1\n');
});

test('custom formats see labels joined and N/A sizes outside system df', () => {
  const out = formatRows(
    '{{.Name}} {{.Labels}} {{.Size}} {{.Links}}',
    volumeRows([volume('db', { a: '1' })]),
    VOLUME_HEADERS,
  );
  assert.equal(out, 'db a=1 N/A N/A\n');
});
