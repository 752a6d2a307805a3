import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  descriptorError,
  imageConfigError,
  imageIndexError,
  imageManifestError,
  validateDescriptor,
  validateImageConfig,
  validateImageIndex,
  validateImageManifest,
} from './oci-image.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const configDescriptor = { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: 1469 };
const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: 2811478 };
const manifest = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: configDescriptor,
  layers: [layer],
};
const index = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [{ ...configDescriptor, platform: { architecture: 'amd64', os: 'linux' } }],
};
const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digest] } };

interface Row {
  name: string;
  value: unknown;
  /** Absent for values that must pass; a pattern the one-line error must match otherwise. */
  error?: RegExp;
}

function runTable(
  rows: readonly Row[],
  validate: (value: unknown) => boolean,
  explain: (value: unknown) => string | null,
): void {
  for (const row of rows) {
    test(row.name, () => {
      assert.equal(validate(row.value), row.error === undefined);
      const error = explain(row.value);
      if (row.error === undefined) assert.equal(error, null);
      else assert.match(error ?? '', row.error);
    });
  }
}

describe('validateImageManifest', () => {
  runTable(
    [
      { name: 'accepts a manifest with a config and one layer', value: manifest },
      {
        name: 'accepts a Docker schema2 manifest, which has the same shape',
        value: { ...manifest, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' },
      },
      {
        name: 'accepts layer URLs and annotations',
        value: {
          ...manifest,
          layers: [{ ...layer, urls: ['https://example.com/layer.tgz'] }],
          annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
        },
      },
      {
        name: 'rejects a manifest without schemaVersion',
        value: { config: configDescriptor, layers: [layer] },
        error: /^\(root\): must have required property 'schemaVersion'$/,
      },
      {
        name: 'rejects schemaVersion 1',
        value: { ...manifest, schemaVersion: 1 },
        error: /^\/schemaVersion: must be >= 2$/,
      },
      {
        name: 'rejects a config digest that is not algorithm:encoded',
        value: { ...manifest, config: { ...configDescriptor, digest: 'sha256-abc' } },
        error: /^\/config\/digest: must match pattern/,
      },
      {
        name: 'rejects a mediaType that is not a string',
        value: { ...manifest, mediaType: 2 },
        error: /^\/mediaType: must be string$/,
      },
      {
        name: 'rejects a mediaType without a subtype',
        value: { ...manifest, mediaType: 'application' },
        error: /^\/mediaType: must match pattern/,
      },
      {
        name: 'rejects an empty layer list',
        value: { ...manifest, layers: [] },
        error: /^\/layers: must NOT have fewer than 1 items$/,
      },
      {
        name: 'rejects a negative layer size',
        value: { ...manifest, layers: [{ ...layer, size: -1 }] },
        error: /^\/layers\/0\/size: must be >= 0$/,
      },
      {
        name: 'rejects a fractional layer size',
        value: { ...manifest, layers: [{ ...layer, size: 1.5 }] },
        error: /^\/layers\/0\/size: must be integer$/,
      },
      {
        name: 'rejects a layer without a digest',
        value: { ...manifest, layers: [{ mediaType: layer.mediaType, size: 1 }] },
        error: /^\/layers\/0: must have required property 'digest'$/,
      },
      {
        name: 'rejects a layer URL that is not a URI',
        value: { ...manifest, layers: [{ ...layer, urls: ['not a uri'] }] },
        error: /^\/layers\/0\/urls\/0: must match format "uri"$/,
      },
      {
        name: 'rejects annotation values that are not strings',
        value: { ...manifest, annotations: { 'com.example.count': 3 } },
        error: /^\/annotations\/com.example.count: must be string$/,
      },
      { name: 'rejects null', value: null, error: /^\(root\): must be object$/ },
      { name: 'rejects an array', value: [manifest], error: /^\(root\): must be object$/ },
    ],
    validateImageManifest,
    imageManifestError,
  );
});

describe('validateImageIndex', () => {
  runTable(
    [
      { name: 'accepts an index with a platform-specific manifest', value: index },
      { name: 'accepts an index with no manifests', value: { schemaVersion: 2, manifests: [] } },
      {
        name: 'rejects an index without manifests',
        value: { schemaVersion: 2 },
        error: /^\(root\): must have required property 'manifests'$/,
      },
      {
        name: 'rejects a platform without os',
        value: { ...index, manifests: [{ ...configDescriptor, platform: { architecture: 'arm64' } }] },
        error: /^\/manifests\/0\/platform: must have required property 'os'$/,
      },
      {
        name: 'rejects a manifest entry whose size is a string',
        value: { ...index, manifests: [{ ...configDescriptor, size: '1469' }] },
        error: /^\/manifests\/0\/size: must be integer$/,
      },
    ],
    validateImageIndex,
    imageIndexError,
  );
});

describe('validateImageConfig', () => {
  runTable(
    [
      { name: 'accepts a minimal image config', value: config },
      {
        name: 'accepts null Cmd, Entrypoint and Labels as Docker writes them',
        value: {
          ...config,
          created: '2024-05-01T10:00:00.123456789Z',
          config: { Cmd: null, Entrypoint: null, Labels: null },
        },
      },
      {
        name: 'rejects a config without os',
        value: { architecture: 'amd64', rootfs: config.rootfs },
        error: /^\(root\): must have required property 'os'$/,
      },
      {
        name: 'rejects a created time that is not RFC 3339',
        value: { ...config, created: 'yesterday' },
        error: /^\/created: must match format "date-time"$/,
      },
      {
        name: 'rejects a rootfs type other than layers',
        value: { ...config, rootfs: { type: 'tar', diff_ids: [] } },
        error: /^\/rootfs\/type: must be equal to one of the allowed values$/,
      },
      {
        name: 'rejects a Cmd given as a string',
        value: { ...config, config: { Cmd: 'sh -c true' } },
        error: /\/config\/Cmd: must match exactly one schema in oneOf/,
      },
    ],
    validateImageConfig,
    imageConfigError,
  );
});

describe('validateDescriptor', () => {
  runTable(
    [
      { name: 'accepts a descriptor with embedded data', value: { ...layer, data: 'aGVsbG8=' } },
      {
        name: 'rejects a descriptor without size',
        value: { mediaType: layer.mediaType, digest },
        error: /^\(root\): must have required property 'size'$/,
      },
      {
        name: 'rejects embedded data that is not a string',
        value: { ...layer, data: [1, 2] },
        error: /^\/data: must be string$/,
      },
    ],
    validateDescriptor,
    descriptorError,
  );
});

test('a valid manifest narrows to ImageManifest', () => {
  const value: unknown = JSON.parse(JSON.stringify(manifest));
  assert.ok(validateImageManifest(value));
  assert.equal(value.layers[0]?.digest, digest);
});
