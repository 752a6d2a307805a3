import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderChanges } from './diff.js';

const changes = [
  { Path: '/etc', Kind: 0, Size: 0 },
  { Path: '/etc/group', Kind: 2 },
  { Path: '/file-1', Kind: 1, Size: 7 },
];

test('diff prints docker’s kind letters and paths', () => {
  assert.equal(renderChanges(changes, false), 'C /etc\nD /etc/group\nA /file-1\n');
});

test('diff --size aligns a size column and leaves deletions without one', () => {
  assert.equal(renderChanges(changes, true), 'C /etc         0B\nD /etc/group\nA /file-1      7B\n');
});
