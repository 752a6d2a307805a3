import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TestRegistry } from './registry.js';

/**
 * Fixtures for registry tests: put images into a test registry over plain
 * HTTP requests, without berth's registry client, so tests of pull can make
 * what they pull with nothing of berth's in the way.
 */

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The CA and client certificate a test client needs, from the registry's certs.d directory. */
export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export async function tlsFiles(certsDir: string | undefined, host: string): Promise<TlsFiles> {
  if (!certsDir) return {};
  const read = (name: string) => readFile(join(certsDir, host, name)).catch(() => undefined);
  return { ca: await read('ca.crt'), cert: await read('client.cert'), key: await read('client.key') };
}

export function send(req: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer;
  tls?: TlsFiles;
}) {
  const u = new URL(req.url);
  const fn = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const r = fn(u, { method: req.method, headers: req.headers, ...req.tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

export interface PushedBlob {
  mediaType: string;
  digest: string;
  size: number;
}

export interface PushedImage {
  /** The manifest's digest: `repo@digest` pulls exactly this. */
  digest: string;
  mediaType: string;
  manifest: Buffer;
  config: PushedBlob;
  /** The config bytes; its sha256 is the image ID. */
  configBytes: Buffer;
  layers: PushedBlob[];
}

export interface PushImageOptions {
  /** Layer tars (uncompressed), base first; gzipped unless `compression: 'none'`. */
  layers: Buffer[];
  compression?: 'gzip' | 'none';
  /** `oci` (default) or `docker` schema 2 media types. */
  format?: 'oci' | 'docker';
  /** Fields merged into the image config (`architecture`, `os`, `config`, ...). */
  config?: Record<string, unknown>;
}

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A client for one repository of a test registry, authenticating as the registry's user. */
class FixtureClient {
  private authorization?: string;

  constructor(
    private readonly registry: TestRegistry,
    private readonly repository: string,
    private readonly tls: TlsFiles,
  ) {}

  async request(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) {
    const url = path.startsWith('http') ? path : `${this.registry.url}${path}`;
    const go = () =>
      send({
        method,
        url,
        body,
        tls: this.tls,
        headers: { ...headers, ...(this.authorization ? { Authorization: this.authorization } : {}) },
      });
    let res = await go();
    if (res.status === 401 && !this.authorization) {
      this.authorization = await this.authenticate(String(res.headers['www-authenticate'] ?? ''));
      res = await go();
    }
    return res;
  }

  private async authenticate(challenge: string): Promise<string> {
    const basic = `Basic ${Buffer.from(`${this.registry.username}:${this.registry.password}`).toString('base64')}`;
    if (challenge.startsWith('Basic')) return basic;
    const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
    const realm = new URL(param('realm'));
    realm.searchParams.set('service', param('service'));
    realm.searchParams.set('scope', `repository:${this.repository}:pull,push`);
    const res = await send({ method: 'GET', url: realm.href, headers: { Authorization: basic } });
    if (res.status !== 200) throw new Error(`token server answered ${res.status}: ${res.body.toString()}`);
    return `Bearer ${(JSON.parse(res.body.toString()) as { token: string }).token}`;
  }

  async pushBlob(bytes: Buffer): Promise<string> {
    const digest = sha256(bytes);
    if ((await this.request('HEAD', `/v2/${this.repository}/blobs/${digest}`)).status === 200) return digest;
    const start = await this.request('POST', `/v2/${this.repository}/blobs/uploads/`);
    if (start.status !== 202) throw new Error(`upload start: ${start.status} ${start.body.toString()}`);
    const location = new URL(String(start.headers.location), this.registry.url);
    location.searchParams.set('digest', digest);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) };
    const put = await this.request('PUT', location.href, headers, bytes);
    if (put.status !== 201) throw new Error(`blob PUT: ${put.status} ${put.body.toString()}`);
    return digest;
  }

  async pushManifest(reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const res = await this.request(
      'PUT',
      `/v2/${this.repository}/manifests/${reference}`,
      { 'Content-Type': mediaType },
      bytes,
    );
    if (res.status !== 201) throw new Error(`manifest PUT: ${res.status} ${res.body.toString()}`);
    return sha256(bytes);
  }
}

async function fixtureClient(registry: TestRegistry, repository: string): Promise<FixtureClient> {
  return new FixtureClient(registry, repository, await tlsFiles(registry.certsDir, registry.host));
}

/** PUTs raw manifest bytes under `reference` (a tag or digest); returns their digest. */
async function pushManifest(
  registry: TestRegistry,
  repository: string,
  reference: string,
  mediaType: string,
  bytes: Buffer,
): Promise<string> {
  return (await fixtureClient(registry, repository)).pushManifest(reference, mediaType, bytes);
}

/**
 * Puts an image into `repository` (a path such as `library/busybox`) and tags
 * it `tag`: the layers, a config naming their diff IDs, and a manifest.
 */
export async function pushImage(
  registry: TestRegistry,
  repository: string,
  tag: string,
  options: PushImageOptions,
): Promise<PushedImage> {
  const client = await fixtureClient(registry, repository);
  const docker = options.format === 'docker';
  const gzip = options.compression !== 'none';
  const layerType = docker
    ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
    : `application/vnd.oci.image.layer.v1.tar${gzip ? '+gzip' : ''}`;
  const layers: PushedBlob[] = [];
  for (const tar of options.layers) {
    const blob = gzip || docker ? gzipSync(tar) : tar;
    layers.push({ mediaType: layerType, digest: await client.pushBlob(blob), size: blob.length });
  }
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: options.layers.map(sha256) },
      ...options.config,
    }),
  );
  const config: PushedBlob = {
    mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
    digest: await client.pushBlob(configBytes),
    size: configBytes.length,
  };
  const mediaType = docker
    ? 'application/vnd.docker.distribution.manifest.v2+json'
    : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config, layers }));
  const digest = await client.pushManifest(tag, mediaType, manifest);
  return { digest, mediaType, manifest, config, configBytes, layers };
}

/**
 * Puts a multi-platform OCI index naming already-pushed manifests under `tag`;
 * returns the index digest.
 */
export async function pushIndex(
  registry: TestRegistry,
  repository: string,
  tag: string,
  manifests: { image: PushedImage; platform: { os: string; architecture: string; variant?: string } }[],
): Promise<string> {
  const mediaType = 'application/vnd.oci.image.index.v1+json';
  const index = {
    schemaVersion: 2,
    mediaType,
    manifests: manifests.map(({ image, platform }) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.manifest.length,
      platform,
    })),
  };
  return pushManifest(registry, repository, tag, mediaType, Buffer.from(JSON.stringify(index)));
}
