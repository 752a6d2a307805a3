import type { Readable } from 'node:stream';
import type { ImageConfig, Platform } from '../image/index.js';
import type { Digest, Logger } from '../kernel/index.js';
import type { EtcFiles, HostFacts, RuntimeSpecInput } from '../runtime/index.js';

/** A local image a build starts from or copies out of. */
export interface BuildImage {
  id: Digest;
  config: ImageConfig;
}

/**
 * The image store as a build sees it; the engine implements it (build may
 * not import state or the engine's image operations).
 */
export interface BuildImageStore {
  /** A local image by name or ID, or undefined when there is none. */
  find(name: string): Promise<BuildImage | undefined>;
  /** The snapshot directories of an image's layers, top layer first (overlay order). */
  lowerDirs(id: Digest): string[];
  /**
   * Makes a new image on `parent` (null: from scratch): the parent's layers,
   * plus one made of `layer` (an uncompressed layer tar) when given, with
   * `config` as the image config. The config's `rootfs.diff_ids` must not
   * include the new layer: the store appends its diff ID. Returns the ID.
   */
  create(input: { parent: BuildImage | null; config: ImageConfig; layer?: Readable }): Promise<Digest>;
  /** Points a name at an image. */
  tag(id: Digest, name: string): void;
  /** A tag as Docker prints it (`app:latest`); throws invalid-argument for a bad one. */
  normalizeTag(name: string): string;
  /** Deletes an untagged image nothing uses (with its untagged parents); false when it must stay. */
  removeIfUnused(id: Digest): Promise<boolean>;
}

/** The persistent step cache (state's `build_cache`), through the engine. */
export interface BuildCacheStore {
  /** The image a step with this key made, if it is still there. */
  get(key: string): Digest | undefined;
  put(key: string, imageId: Digest): void;
  /** Forgets every entry; returns the images they named. */
  clear(): Digest[];
}

/** Where one RUN step runs: its network namespace and the /etc files that go with it. */
export interface BuildSandbox {
  namespace: RuntimeSpecInput['network'];
  etcFiles: EtcFiles;
  /** Undoes prepare (detach, delete the namespace); safe after a failed step. */
  release(): Promise<void>;
}

/**
 * The build's network (`--network` of /build), from the engine's network
 * service: build may not import the network module.
 */
export interface BuildNetwork {
  /** Throws for a mode a build cannot use (invalid-argument) or an unknown network (not-found). */
  check(mode: string | undefined): void;
  /** A sandbox on the build's network for one step, its /etc files written into `dir`. */
  prepare(step: { id: string; dir: string; hostname: string }, mode: string | undefined): Promise<BuildSandbox>;
}

/** Pulls an image the store does not have (the engine's pull, once there is one). */
export type ResolveBaseImage = (name: string, platform: Platform) => Promise<BuildImage>;

export interface BuildDeps {
  images: BuildImageStore;
  cache: BuildCacheStore;
  /** Scratch space for contexts and step containers: `<data-root>/builder`. */
  workRoot: string;
  /** runc's state directory for step containers. */
  runcRoot: string;
  host: HostFacts;
  /** Docker's init layer (mount points, .dockerenv), shared with the containers: its path. */
  initLayer(): Promise<string>;
  /** For `FROM` of an image not stored here; without it such a build fails with not-found. */
  pull?: ResolveBaseImage;
  network: BuildNetwork;
  logger: Logger;
}
