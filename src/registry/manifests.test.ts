import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MediaType } from '../image/index.js';
import { manifestMediaType } from './manifests.js';

describe('manifestMediaType', () => {
  const json = (o: unknown) => Buffer.from(JSON.stringify(o));
  const cases: [string, string | undefined, Buffer, string][] = [
    ['a specific Content-Type is trusted', MediaType.dockerManifest, json({}), MediaType.dockerManifest],
    ['parameters after the type are dropped', `${MediaType.ociIndex}; charset=utf-8`, json({}), MediaType.ociIndex],
    [
      'a generic type defers to the document\u2019s mediaType',
      'application/json',
      json({ mediaType: MediaType.dockerManifestList }),
      MediaType.dockerManifestList,
    ],
    [
      'a document with manifests and no mediaType is an OCI index',
      undefined,
      json({ schemaVersion: 2, manifests: [] }),
      MediaType.ociIndex,
    ],
    [
      'a document with a config and no mediaType is an OCI manifest',
      'text/plain',
      json({ schemaVersion: 2, config: {} }),
      MediaType.ociManifest,
    ],
    [
      'schema 1 with signatures is the signed schema 1 type',
      'application/json',
      json({ schemaVersion: 1, signatures: [] }),
      MediaType.dockerSchema1Signed,
    ],
    ['schema 1 without signatures is plain schema 1', undefined, json({ schemaVersion: 1 }), MediaType.dockerSchema1],
  ];
  for (const [name, contentType, bytes, expected] of cases)
    test(name, () => assert.equal(manifestMediaType(contentType, bytes), expected));
});
