import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerWarning, summarizeChanges } from './layer-warning.js';

test('the summary counts every change but no bytes for deletions', () => {
  const changes = [
    { Path: '/file-1', Kind: 1, Size: 7 },
    { Path: '/etc', Kind: 0, Size: 0 },
    { Path: '/etc/group', Kind: 2, Size: 500 },
    { Path: '/d/big', Kind: 1, Size: 3000 },
  ];
  assert.deepEqual(summarizeChanges(changes), { files: 4, bytes: 3007 });
});

test('the warning says what is lost and how to keep it', () => {
  assert.equal(
    layerWarning('web', { files: 3, bytes: 1200 }),
    "web: this container's writable layer holds 3 changed files (1.2kB). They are lost when it is removed.\n" +
      "Keep them as an image with 'berth commit web IMAGE'; keep data that must outlive containers in volumes.\n",
  );
  assert.match(layerWarning('a', { files: 1, bytes: 7 }), /holds 1 changed file \(7B\)\./);
});
