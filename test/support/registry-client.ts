import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Digest } from '../../src/kernel/index.js';
import type { Descriptor } from '../../src/image/index.js';
import { parseReference } from '../../src/reference/index.js';
import {
  createRegistryClient,
  type Credentials,
  type RegistryClientTuning,
  type Repository,
} from '../../src/registry/index.js';
import type { TestRegistry } from './registry.js';

/** Helpers for the registry client's own tests: a client with short timeouts, and blob plumbing. */

export const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}` as Digest;
export const blob = (bytes: Buffer): Descriptor => ({
  mediaType: 'application/octet-stream',
  digest: sha256(bytes),
  size: bytes.length,
});
export const fast: RegistryClientTuning = {
  connectTimeoutMs: 2000,
  idleTimeoutMs: 2000,
  retry: { attempts: 2, baseDelayMs: 10 },
};

export function client(registry: TestRegistry | undefined, tuning: RegistryClientTuning = fast) {
  const certsDirs = registry?.certsDir ? [registry.certsDir] : [];
  return createRegistryClient({ certsDirs, insecureRegistries: [], mirrors: [], userAgent: 'berth-test', ...tuning });
}

export function repo(
  c: ReturnType<typeof client>,
  registry: TestRegistry,
  path: string,
  credentials?: Credentials,
): Repository {
  return c.repository(parseReference(`${registry.host}/${path}`), credentials);
}

export async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export const layerTar = () => randomBytes(200_000);
