import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { invalidArgument, type Digest, type OperationOptions } from '../kernel/index.js';
import type { Descriptor } from '../image/index.js';
import type { Reference } from '../reference/index.js';
import { Authenticator } from './auth.js';
import { hasBlob, openBlob } from './blob-reader.js';
import { mountBlob, uploadBlob } from './blob-writer.js';
import { registryEndpoints, type Endpoint } from './endpoints.js';
import { login } from './login.js';
import { getManifest, putManifest, resolveManifest } from './manifests.js';
import type { RetryPolicy, Session } from './session.js';
import { Transport } from './transport.js';
import type {
  BlobReadOptions,
  BlobUploadOptions,
  Credentials,
  FetchedManifest,
  RegistryClient,
  RegistryClientOptions,
  Repository,
} from './types.js';

/** Knobs with defaults that suit a daemon; tests shorten them. */
export interface RegistryClientTuning {
  /** Time to connect (TCP and TLS) before the registry counts as unreachable. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Longest silence while waiting for a response or between body chunks. Default 20 s. */
  readonly idleTimeoutMs?: number;
  /** Tries per request or blob transfer, and the first backoff. Default 5 tries from 250 ms. */
  readonly retry?: Partial<RetryPolicy>;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250 };

/** A client for OCI distribution registries; `close()` releases its connections. */
export function createRegistryClient(
  options: RegistryClientOptions & RegistryClientTuning,
): RegistryClient & { close(): Promise<void> } {
  return new DistributionClient(options);
}

class DistributionClient implements RegistryClient {
  private readonly transport: Transport;
  private readonly retry: RetryPolicy;
  /** The endpoint that answered last, per registry domain. */
  private readonly preferred = new Map<string, Endpoint>();
  private readonly authenticators = new Map<string, Authenticator>();

  constructor(private readonly options: RegistryClientOptions & RegistryClientTuning) {
    this.transport = new Transport({
      certsDirs: options.certsDirs,
      userAgent: options.userAgent,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 20_000,
    });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  repository(ref: Reference, credentials?: Credentials): Repository {
    if (ref.domain === '') throw invalidArgument(`invalid reference format: ${ref.path} has no registry domain`);
    return new RegistryRepository(this.session(ref.domain, ref.path, credentials), ref.domain);
  }

  login(serverAddress: string, credentials: Credentials, options?: OperationOptions) {
    return login(this.transport, this.options, serverAddress, credentials, options);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private session(domain: string, path: string, credentials: Credentials | undefined): Session {
    const all = registryEndpoints(domain, this.options);
    const identity = credentialKey(credentials);
    return {
      name: `${domain}/${path}`,
      path,
      transport: this.transport,
      retry: this.retry,
      endpoints: () => {
        const first = this.preferred.get(domain);
        return first ? [first, ...all.filter((e) => e.url !== first.url)] : all;
      },
      // With mirrors every operation starts at the first mirror again, as Docker tries them per pull.
      remember: (endpoint) => (all.some((e) => e.mirror) ? undefined : this.preferred.set(domain, endpoint)),
      authenticator: (endpoint) => {
        const key = `${endpoint.url}\n${identity}`;
        let auth = this.authenticators.get(key);
        if (!auth) {
          auth = new Authenticator(this.transport, credentials);
          this.authenticators.set(key, auth);
        }
        return auth;
      },
    };
  }
}

/** Tokens are cached per identity; the key is a hash so secrets are not kept as map keys. */
function credentialKey(credentials: Credentials | undefined): string {
  if (!credentials) return 'anonymous';
  const { username, password, identityToken, registryToken } = credentials;
  return createHash('sha256')
    .update(JSON.stringify([username, password, identityToken, registryToken]))
    .digest('hex');
}

class RegistryRepository implements Repository {
  readonly name: string;

  constructor(
    private readonly session: Session,
    private readonly domain: string,
  ) {
    this.name = session.name;
  }

  getManifest(tagOrDigest: string, options?: OperationOptions): Promise<FetchedManifest> {
    return getManifest(this.session, tagOrDigest, options);
  }

  resolve(tagOrDigest: string, options?: OperationOptions): Promise<Descriptor> {
    return resolveManifest(this.session, tagOrDigest, options);
  }

  openBlob(descriptor: Descriptor, options?: BlobReadOptions): Readable {
    return openBlob(this.session, descriptor, options);
  }

  hasBlob(digest: Digest, options?: OperationOptions): Promise<boolean> {
    return hasBlob(this.session, digest, options);
  }

  mountBlob(digest: Digest, fromRepository: string, options?: OperationOptions): Promise<boolean> {
    return mountBlob(this.session, this.domain, digest, fromRepository, options);
  }

  uploadBlob(descriptor: Descriptor, open: () => Readable, options?: BlobUploadOptions): Promise<void> {
    return uploadBlob(this.session, descriptor, open, options);
  }

  putManifest(tagOrDigest: string, manifest: FetchedManifest, options?: OperationOptions): Promise<Digest> {
    return putManifest(this.session, tagOrDigest, manifest, options);
  }
}
