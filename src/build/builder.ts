/**
 * The builder service: one build is receive the context, parse the
 * Dockerfile, evaluate its stages step by step (each step an image, found
 * in the cache when nothing it depends on changed), then tag the result.
 * Output is the classic builder's text, line by line, through `BuildOutput`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { errorMessage, type Digest } from '../kernel/index.js';
import { removeWritable } from '../snapshot/index.js';
import {
  DEFAULT_DOCKERFILE,
  readDockerfile,
  readDockerignore,
  receiveContext,
  refuseRemoteContext,
} from './context.js';
import type { BuildDeps } from './deps.js';
import { ArgScope, parseDockerfile, platformArgs } from './dockerfile/index.js';
import { buildPlatform, evaluateDockerfile } from './evaluate-stage.js';
import { excludeFromDockerignore } from './ignore.js';
import { FileHashMemo } from './source-hash.js';
import { shortId } from './step-commit.js';

/** `POST /build`'s parameters (swagger names in comments where they differ). */
export interface BuildRequest {
  dockerfile?: string;
  /** `t`, repeated. */
  tags: string[];
  /** `buildargs`: null means given without a value and not set in the client's environment. */
  buildArgs: Record<string, string | null>;
  target?: string;
  noCache: boolean;
  pull: boolean;
  labels: Record<string, string>;
  networkMode?: string;
  /** `q`: only the image ID is printed. */
  quiet: boolean;
  cacheFrom: string[];
  platform?: string;
  remote?: string;
}

/** Where build output goes: the API turns these into JSON lines. */
export interface BuildOutput {
  stream(text: string): void;
  aux(value: unknown): void;
}

export interface Builder {
  /** Builds from a context tar; resolves the image ID once it is tagged. */
  build(
    context: Readable,
    request: BuildRequest,
    out: BuildOutput,
    options?: { signal?: AbortSignal },
  ): Promise<Digest>;
  /** `docker builder prune`: forgets the cache and deletes the images only it kept. */
  prune(): Promise<{ CachesDeleted: string[]; SpaceReclaimed: number }>;
  /** Startup: removes what a crash left of step filesystems and contexts. */
  cleanUp(): Promise<void>;
}

export function createBuilder(deps: BuildDeps): Builder {
  const memo = new FileHashMemo();
  return {
    build: (context, request, out, options = {}) => build(deps, memo, context, request, out, options.signal),
    prune: () => prune(deps),
    cleanUp: () => cleanUp(deps),
  };
}

async function build(
  deps: BuildDeps,
  memo: FileHashMemo,
  body: Readable,
  request: BuildRequest,
  out: BuildOutput,
  signal: AbortSignal | undefined,
): Promise<Digest> {
  refuseRemoteContext(request.remote);
  deps.network.check(request.networkMode);
  const tags = request.tags.map((t) => deps.images.normalizeTag(t));
  const write = request.quiet ? () => {} : (text: string) => out.stream(text);
  const context = await receiveContext(body, deps.workRoot, signal ? { signal } : {});
  const scratch = join(deps.workRoot, 'scratch', randomBytes(8).toString('hex'));
  try {
    const df = parseDockerfile(await readDockerfile(context, request.dockerfile));
    for (const w of df.warnings) deps.logger.info('dockerfile warning', { line: w.line, message: w.message });
    const platform = buildPlatform(request.platform);
    const args = ArgScope.global({ buildArgs: request.buildArgs, automatic: platformArgs(platform, platform) });
    if (request.cacheFrom.length > 0) {
      write('[Warning] --cache-from is not supported by berth yet: only the local build cache is used\n');
    }
    const image = await evaluateDockerfile(df, {
      deps,
      args,
      ...(request.target ? { target: request.target } : {}),
      platform,
      labels: request.labels,
      noCache: request.noCache,
      pull: request.pull,
      ...(request.networkMode ? { networkMode: request.networkMode } : {}),
      copy: {
        deps,
        contextDir: context.dir,
        exclude: excludeFromDockerignore(await readDockerignore(context), request.dockerfile ?? DEFAULT_DOCKERFILE),
        memo,
        scratch,
        ...(signal ? { signal } : {}),
      },
      write,
      ...(signal ? { signal } : {}),
    });
    const unused = args.unusedBuildArgs();
    if (unused.length > 0) write(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    out.aux({ ID: image.id });
    write(`Successfully built ${shortId(image.id)}\n`);
    for (const tag of tags) {
      deps.images.tag(image.id, tag);
      write(`Successfully tagged ${tag}\n`);
    }
    if (request.quiet) out.stream(`${image.id}\n`);
    return image.id;
  } finally {
    await context.dispose();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function prune(deps: BuildDeps): Promise<{ CachesDeleted: string[]; SpaceReclaimed: number }> {
  const images = deps.cache.clear();
  const deleted: string[] = [];
  // Newest first would fail on parents; try each until nothing more goes.
  let pending = images;
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const next: Digest[] = [];
    for (const id of pending) {
      if (await deps.images.removeIfUnused(id)) {
        deleted.push(id);
        progress = true;
      } else next.push(id);
    }
    pending = next;
  }
  return { CachesDeleted: deleted, SpaceReclaimed: 0 };
}

async function cleanUp(deps: BuildDeps): Promise<void> {
  const steps = join(deps.workRoot, 'steps');
  for (const name of await readdir(steps).catch(() => [] as string[])) {
    await removeWritable(join(steps, name)).catch((e: unknown) =>
      deps.logger.warn('build step clean-up failed', { dir: name, error: errorMessage(e) }),
    );
  }
  await rm(join(deps.workRoot, 'contexts'), { recursive: true, force: true });
  await rm(join(deps.workRoot, 'scratch'), { recursive: true, force: true });
  await mkdir(deps.workRoot, { recursive: true, mode: 0o700 });
}
