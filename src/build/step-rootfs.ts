/**
 * The filesystem of one build step: an overlay of the parent image's layers
 * under Docker's init layer, with a fresh writable layer on top, at
 * `<work-root>/steps/<id>/rootfs`. RUN runs a process in it and COPY writes
 * into it; either way what changed is the upper directory, which becomes the
 * step's layer exactly as `docker commit` packs a container's.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeLayerTar } from '../archive/index.js';
import type { Digest } from '../kernel/index.js';
import { mountWritable, prepareWritable, removeWritable, unmountWritable } from '../snapshot/index.js';
import type { BuildDeps, BuildImage } from './deps.js';
import type { ImageConfig } from '../image/index.js';

export interface StepRootfs {
  /** 64 hex, like a container ID: names the runc container and cgroup. */
  readonly id: string;
  /** The step's directory (bundle, etc files). */
  readonly dir: string;
  /** Where the overlay is mounted. */
  readonly rootfs: string;
}

/** A new step ID, shaped like a container ID so output reads as Docker's. */
export function newStepId(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Mounts a step filesystem on `parent`, runs `work` in it, unmounts, and
 * makes the image: a new layer from the upper directory, or none when the
 * step changed nothing (Docker records that as an empty layer). The step's
 * directory is removed whatever happens.
 */
export async function runInStepRootfs(
  deps: BuildDeps,
  parent: BuildImage | null,
  work: (step: StepRootfs) => Promise<ImageConfig>,
  id = newStepId(),
): Promise<Digest> {
  const dir = join(deps.workRoot, 'steps', id.slice(0, 12));
  try {
    const lowerDirs = [await deps.initLayer(), ...(parent ? deps.images.lowerDirs(parent.id) : [])];
    const layer = await prepareWritable({ root: dir, lowerDirs });
    // Throwaway: read back (or not at all) before the directory is removed.
    mountWritable(layer, { volatile: true });
    let config: ImageConfig;
    try {
      config = await work({ id, dir, rootfs: layer.mountpoint });
    } finally {
      await unmountWritable(layer.mountpoint);
    }
    const changed = (await readdir(layer.upperDir)).length > 0;
    const history = config.history ?? [];
    const last = history[history.length - 1];
    if (last && !changed) last.empty_layer = true;
    return await deps.images.create({
      parent,
      config,
      ...(changed ? { layer: writeLayerTar(layer.upperDir) } : {}),
    });
  } finally {
    await removeWritable(dir);
  }
}

/**
 * Runs `work` with an image's filesystem mounted (COPY --from reads it),
 * through a throwaway writable layer that is removed afterwards.
 */
export async function withImageRootfs<T>(
  deps: BuildDeps,
  image: BuildImage,
  work: (rootfs: string) => Promise<T>,
): Promise<T> {
  const dir = join(deps.workRoot, 'steps', `${newStepId().slice(0, 12)}-from`);
  try {
    const layer = await prepareWritable({ root: dir, lowerDirs: deps.images.lowerDirs(image.id) });
    // Throwaway: read back (or not at all) before the directory is removed.
    mountWritable(layer, { volatile: true });
    try {
      return await work(layer.mountpoint);
    } finally {
      await unmountWritable(layer.mountpoint);
    }
  } finally {
    await removeWritable(dir);
  }
}
