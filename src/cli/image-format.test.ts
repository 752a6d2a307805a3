import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { historyFormat, historyRow, imageFormat, imageRows } from './image-format.js';
import type { Api } from '../spec/index.js';

process.env['TZ'] = 'UTC';

const now = new Date(Date.UTC(2026, 0, 1));
const created = now.getTime() / 1000 - 7200;
const id = (c: string): string => `sha256:${c.repeat(64)}`;
const image = (over: Partial<Api.ImageSummary>): Api.ImageSummary => ({
  Id: id('a'),
  ParentId: '',
  RepoTags: [],
  RepoDigests: [],
  Created: created,
  Size: 4261550,
  SharedSize: -1,
  Labels: {},
  Containers: -1,
  ...over,
});

function table(images: Api.ImageSummary[], digests = false): string[][] {
  return imageRows(images, { trunc: true, digests, now }).map((r) => [
    String(r.fields['Repository']),
    String(r.fields['Tag']),
    String(r.fields['Digest']),
  ]);
}

describe('imageRows', () => {
  test('an image without names is one <none> row', () => {
    assert.deepEqual(table([image({ RepoTags: [], RepoDigests: [] })]), [['<none>', '<none>', '<none>']]);
  });
  test("old daemons' <none> placeholders count as no names", () => {
    assert.deepEqual(table([image({ RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'] })]), [
      ['<none>', '<none>', '<none>'],
    ]);
  });
  test('each tag is a row, with familiar names', () => {
    const img = image({ RepoTags: ['docker.io/library/busybox:latest', 'busybox:1.36', 'localhost:5000/bb:v1'] });
    assert.deepEqual(table([img]), [
      ['busybox', 'latest', '<none>'],
      ['busybox', '1.36', '<none>'],
      ['localhost:5000/bb', 'v1', '<none>'],
    ]);
  });
  test('with digests each tag is repeated per digest of its repository', () => {
    const img = image({ RepoTags: ['busybox:latest'], RepoDigests: [`busybox@${id('1')}`, `busybox@${id('2')}`] });
    assert.deepEqual(table([img], true), [
      ['busybox', 'latest', id('1')],
      ['busybox', 'latest', id('2')],
    ]);
  });
  test('a repository known only by digest is a <none> tag row', () => {
    const img = image({ RepoTags: [], RepoDigests: [`docker.io/library/alpine@${id('3')}`] });
    assert.deepEqual(table([img]), [['alpine', '<none>', '']]);
    assert.deepEqual(table([img], true), [['alpine', '<none>', id('3')]]);
  });
  test("fields are formatted like docker's image context", () => {
    const [row] = imageRows([image({ RepoTags: ['busybox:latest'], SharedSize: 1000, Containers: 2 })], {
      trunc: true,
      digests: false,
      now,
    });
    assert.deepEqual(row?.fields, {
      ID: 'aaaaaaaaaaaa',
      Repository: 'busybox',
      Tag: 'latest',
      Digest: '<none>',
      CreatedSince: '2 hours ago',
      CreatedAt: '2025-12-31 22:00:00 +0000 UTC',
      Size: '4.26MB',
      Containers: '2',
      SharedSize: '1kB',
      UniqueSize: '4.261MB',
      VirtualSize: '4.262MB',
    });
  });
  test('--no-trunc shows the full ID', () => {
    const [row] = imageRows([image({ RepoTags: ['a:b'] })], { trunc: false, digests: false, now });
    assert.equal(row?.fields['ID'], id('a'));
  });
});

describe('image and history formats', () => {
  test('images picks the quiet, digest or plain table', () => {
    assert.equal(imageFormat('', { quiet: true, digests: false }), '{{.ID}}');
    assert.match(imageFormat('table', { quiet: false, digests: true }), /\{\{\.Digest\}\}\\t|\{\{\.Digest\}\}\t/);
    assert.equal(imageFormat('table {{.ID}}', { quiet: false, digests: true }), 'table {{.ID}}\t{{.Digest}}');
    assert.equal(imageFormat('{{.ID}}', { quiet: true, digests: false }), '{{.ID}}');
  });
  test('history without -H shows the creation time instead of the age', () => {
    assert.match(historyFormat('', { quiet: false, human: false }), /\{\{\.CreatedAt\}\}/);
    assert.equal(historyFormat('', { quiet: true, human: true }), '{{.ID}}');
  });
});

describe('historyRow', () => {
  const item = {
    Id: '<missing>',
    Created: created,
    CreatedBy: '/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d in /\tx',
    Size: 4261550,
    Comment: 'Imported from -',
    Tags: [],
  };
  test('truncates CREATED BY to 45 characters and replaces tabs', () => {
    const row = historyRow(item, { trunc: true, human: true, now });
    assert.equal(row.fields['CreatedBy'], '/bin/sh -c #(nop) ADD file:7e9002edaafd4e457…');
    assert.equal(row.fields['CreatedSince'], '2 hours ago');
    assert.equal(row.fields['Size'], '4.26MB');
  });
  test('-H=false prints RFC 3339 times and byte counts', () => {
    const row = historyRow(item, { trunc: false, human: false, now });
    assert.equal(row.fields['CreatedSince'], '2025-12-31T22:00:00Z');
    assert.equal(row.fields['Size'], '4261550');
    assert.equal(row.fields['CreatedBy'], item.CreatedBy.replace('\t', ' '));
  });
  test('layers dated before 2000 show N/A', () => {
    assert.equal(
      historyRow({ ...item, Created: 100 }, { trunc: true, human: true, now }).fields['CreatedSince'],
      'N/A',
    );
  });
});
