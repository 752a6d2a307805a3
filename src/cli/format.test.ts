import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../kernel/index.js';
import { formatInspect, formatRows, templateString } from './format.js';
import { FormatContext } from './template.js';

const headers = { ID: 'IMAGE ID', Repository: 'REPOSITORY', Size: 'SIZE' };
const rows = [
  new FormatContext({ ID: 'aaaaaaaaaaaa', Repository: 'busybox', Size: '4.26MB' }, 'imageContext'),
  new FormatContext({ ID: 'bbbbbbbbbbbb', Repository: '<none>', Size: '1kB' }, 'imageContext'),
];

describe('templateString', () => {
  const cases: Array<[string, string]> = [
    ['table', ''],
    ['json', '{{json .}}'],
    ['table {{.ID}}\\t{{.Size}}', '{{.ID}}\t{{.Size}}'],
    ['  {{.ID}}\\n  ', '{{.ID}}\n'],
  ];
  for (const [format, want] of cases)
    test(`${format} → ${JSON.stringify(want)}`, () => assert.equal(templateString(format), want));
});

describe('formatRows', () => {
  test('a table gets a header row from the column titles and aligned columns', () => {
    assert.equal(
      formatRows('table {{.Repository}}\\t{{.ID}}\\t{{.Size}}', rows, headers),
      'REPOSITORY   IMAGE ID       SIZE\nbusybox      aaaaaaaaaaaa   4.26MB\n<none>       bbbbbbbbbbbb   1kB\n',
    );
  });
  test('a table with no rows is just the header', () => {
    assert.equal(formatRows('table {{.ID}}', [], headers), 'IMAGE ID\n');
  });
  test('a plain template prints one unaligned line per row', () => {
    assert.equal(formatRows('{{.Repository}}:{{.Size}}', rows, headers), 'busybox:4.26MB\n<none>:1kB\n');
  });
  test('json prints one object per line', () => {
    assert.equal(
      formatRows('json', rows.slice(0, 1), headers),
      '{"ID":"aaaaaaaaaaaa","Repository":"busybox","Size":"4.26MB"}\n',
    );
  });
  test('template errors read "template parsing error: ..."', () => {
    assert.throws(
      () => formatRows('{{.Nope}}', rows, headers),
      (e: unknown) => isBerthError(e, 'invalid-argument') && e.message.startsWith('template parsing error: '),
    );
  });
});

describe('formatInspect', () => {
  const objects = [{ Id: 'a', Tags: [] }];
  test('prints a 4-space indented JSON array by default', () => {
    assert.equal(formatInspect('', objects), '[\n    {\n        "Id": "a",\n        "Tags": []\n    }\n]\n');
  });
  test('prints [] when nothing was found', () => assert.equal(formatInspect('', []), '[]\n'));
  test('json is compact', () => assert.equal(formatInspect('json', objects), '[{"Id":"a","Tags":[]}]\n'));
  test('a template runs once per object', () =>
    assert.equal(formatInspect('{{.Id}}', [...objects, { Id: 'b' }]), 'a\nb\n'));
  test('a template with nothing found prints an empty line', () => assert.equal(formatInspect('{{.Id}}', []), '\n'));
});
