import { join } from 'node:path';
import { createBuilder, type Builder, type BuildNetwork } from '../build/index.js';
import { invalidArgument, isBerthError, type Digest, type Logger } from '../kernel/index.js';
import { familiarString, parseReference, withDefaultTag } from '../reference/index.js';
import { initLayer } from '../container/index.js';
import type { HostFacts } from '../runtime/index.js';
import { clearBuildCache, childImages, putBuildCache, tagsOf, useBuildCache } from '../state/index.js';
import { layout, type EngineConfig } from './config.js';
import { appendLayerImage } from './images/append-layer.js';
import type { ImageDeps } from './images/deps.js';
import { lowerDirsOf } from './images/image-store.js';
import { tagImage } from './images/register.js';
import { removeImage } from './images/remove.js';

/**
 * The builder, wired to this engine's image store, build cache table and
 * runtime facts. Build may not import state or the engine's image
 * operations, so they come in through its small interfaces.
 */
export function createEngineBuilder(
  deps: ImageDeps,
  options: {
    config: EngineConfig;
    host: HostFacts;
    logger: Logger;
    network: BuildNetwork;
    /** The engine's pull (`os/arch[/variant]`), for FROM of an image not stored here. */
    pull?: (name: string, platform: string) => Promise<Digest>;
  },
): Builder {
  const { db, store } = deps;
  const { pull } = options;
  const find = async (name: string) => {
    const row = store.resolve(name);
    return { id: row.id, config: await store.config(row.id) };
  };
  return createBuilder({
    images: {
      find: async (name) => {
        try {
          return await find(name);
        } catch (e) {
          if (isBerthError(e, 'not-found')) return undefined;
          throw e;
        }
      },
      lowerDirs: (id) => lowerDirsOf(deps, id),
      create: async ({ parent, config, layer }) =>
        appendLayerImage(deps, {
          parent: parent ? await store.load(store.resolve(parent.id)) : null,
          ...(layer ? { layer } : {}),
          makeConfig: (diffIds) => ({ ...config, rootfs: { type: 'layers', diff_ids: diffIds } }),
        }),
      tag: (id, name) => void tagImage(deps, id, name),
      normalizeTag: (name) => {
        const ref = withDefaultTag(parseReference(name));
        if (ref.digest) throw invalidArgument(`invalid tag ${name}: a tag cannot name a digest`);
        return familiarString(ref);
      },
      removeIfUnused: (id) => removeIfUnused(deps, id),
    },
    cache: {
      get: (key) => useBuildCache(db, key),
      put: (key, id) => putBuildCache(db, key, id),
      clear: () => clearBuildCache(db),
    },
    workRoot: layout(options.config).builder,
    // Apart from the containers' runc root: step containers are no container records.
    runcRoot: join(options.config.execRoot, 'build-runc'),
    host: options.host,
    initLayer: () => initLayer(options.config.dataRoot),
    network: options.network,
    ...(pull
      ? {
          pull: async (name, p) => find(await pull(name, [p.os, p.architecture, p.variant].filter(Boolean).join('/'))),
        }
      : {}),
    logger: options.logger,
  });
}

async function removeIfUnused(deps: ImageDeps, id: Digest): Promise<boolean> {
  if (tagsOf(deps.db, id).length > 0 || childImages(deps.db, id).length > 0) return false;
  if (deps.containersUsing(id).length > 0) return false;
  try {
    await removeImage(deps, id);
    return true;
  } catch (e) {
    if (isBerthError(e, 'conflict') || isBerthError(e, 'not-found')) return false;
    throw e;
  }
}
