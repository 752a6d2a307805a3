import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDaemon, type TestDaemon } from './daemon.js';
import { busyboxRootfs, packTar } from './images.js';
import { pushImage, type PushedImage, type TestRegistry } from './registry.js';

/** The image ID a pushed fixture must have wherever it is pulled: the digest of its config. */
export function idOf(image: PushedImage): string {
  return `sha256:${createHash('sha256').update(image.configBytes).digest('hex')}`;
}

/** A berthd with a private docker config directory (logins must not touch the host's). */
export async function startRegistryDaemon(args: string[] = []): Promise<TestDaemon> {
  const dockerConfig = await mkdtemp(join(tmpdir(), 'berth-docker-config-'));
  const d = await startDaemon({ args, env: { DOCKER_CONFIG: dockerConfig } }).catch(async (e: unknown) => {
    await rm(dockerConfig, { recursive: true, force: true });
    throw e;
  });
  return {
    ...d,
    stop: async () => {
      await d.stop();
      await rm(dockerConfig, { recursive: true, force: true });
    },
  };
}

/** Puts a runnable busybox (one layer, `sh` as command) into `repository`. */
export async function pushBusybox(
  registry: TestRegistry,
  repository: string,
  tag = 'latest',
  config: Record<string, unknown> = {},
): Promise<PushedImage> {
  return pushImage(registry, repository, tag, {
    layers: [await busyboxRootfs()],
    config: { config: { Cmd: ['sh'] }, ...config },
  });
}

/** A layer tar with one file of `size` random (incompressible) bytes. */
export async function randomLayer(name: string, size: number): Promise<Buffer> {
  return packTar([{ name, content: randomBytes(size) }]);
}

/** `docker image inspect --format {{.Id}}`, or '' when the image is not there. */
export async function imageId(d: TestDaemon, name: string): Promise<string> {
  const r = await d.docker(['image', 'inspect', '--format', '{{.Id}}', name]);
  return r.code === 0 ? r.stdout.trim() : '';
}

/** Where the distribution registry's filesystem driver keeps things under its storage directory. */
function storagePath(registry: TestRegistry, ...parts: string[]): string {
  return join(registry.storage, 'docker', 'registry', 'v2', ...parts);
}

/** The file holding a blob's bytes in the registry's storage (to corrupt it on purpose). */
export function blobFile(registry: TestRegistry, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return storagePath(registry, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

/**
 * Writes a manifest straight into the registry's storage and tags it, for
 * documents the registry's own API refuses to take (over 4 MB, schema 1)
 * but a registry elsewhere might serve.
 */
export async function plantManifest(
  registry: TestRegistry,
  repository: string,
  tag: string,
  bytes: Buffer,
): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const hex = digest.slice('sha256:'.length);
  const file = blobFile(registry, digest);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
  const manifests = ['repositories', ...repository.split('/'), '_manifests'];
  const links = [
    [...manifests, 'revisions', 'sha256', hex, 'link'],
    [...manifests, 'tags', tag, 'current', 'link'],
    [...manifests, 'tags', tag, 'index', 'sha256', hex, 'link'],
  ];
  for (const link of links) {
    await mkdir(dirname(storagePath(registry, ...link)), { recursive: true });
    await writeFile(storagePath(registry, ...link), digest);
  }
  return digest;
}

/**
 * A misbehaving registry for bad-input tests: it answers `GET`/`HEAD` of
 * the manifests named in `overrides` (a path such as `/v2/big/manifests/latest`)
 * with the given body, and passes every other request to the real registry.
 */
export async function startOverridingProxy(
  registry: TestRegistry,
  overrides: ReadonlyMap<string, { mediaType: string; body: Buffer }>,
): Promise<{ host: string; close(): Promise<void> }> {
  const target = new URL(registry.url);
  const server = createHttpServer((req, res) => {
    const override = overrides.get(req.url ?? '');
    if (override) {
      res.writeHead(200, { 'Content-Type': override.mediaType, 'Content-Length': override.body.length });
      res.end(req.method === 'HEAD' ? undefined : override.body);
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
