import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageConfig, parseManifest } from './parse.js';

const diffId = `sha256:${'a'.repeat(64)}`;
const config = (extra: object) =>
  Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] }, ...extra }),
  );

test('image configs as Docker writes them parse, nulls included', () => {
  const c = parseImageConfig(config({ config: { Env: null, Cmd: null, Entrypoint: null, Labels: null } }));
  assert.deepEqual(c.rootfs.diff_ids, [diffId]);
  assert.equal(parseImageConfig(config({ config: null })).os, 'linux');
});

test('broken image configs are refused with the reason', () => {
  const cases: [Buffer, RegExp][] = [
    [Buffer.from('{'), /not valid JSON/],
    [Buffer.from('[]'), /not a JSON object/],
    [config({ rootfs: { type: 'layers', diff_ids: ['sha256:zz'] } }), /invalid image config/],
    [config({ rootfs: { type: 'layers', diff_ids: [`sha512:${'a'.repeat(128)}`] } }), /unsupported diff ID/],
    [config({ config: { Env: 'A=1' } }), /Env/],
  ];
  for (const [bytes, re] of cases) assert.throws(() => parseImageConfig(bytes), re);
});

test('manifests and indexes are told apart; schema 1 is refused with advice', () => {
  const desc = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: diffId, size: 2 };
  const m = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: desc, layers: [] })));
  assert.equal(m.kind, 'manifest');
  const i = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })));
  assert.equal(i.kind, 'index');
  assert.throws(
    () => parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 1, fsLayers: [] }))),
    /schema 1 is not supported/,
  );
  assert.throws(() => parseManifest(Buffer.from('x'.repeat(5 << 20))), /larger than/);
  assert.throws(
    () =>
      parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: { ...desc, digest: 'nope' }, layers: [] }))),
    /invalid image manifest/,
  );
});
