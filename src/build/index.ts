/**
 * build — from a Dockerfile and a context to an image, with Docker's classic
 * builder semantics and output: the context received as a stream, stages
 * evaluated step by step (RUN in a runc container on the step's overlay,
 * COPY/ADD into it, metadata into the config), every step an image found
 * again through a persistent cache. Must not import container or network:
 * the engine passes what it needs from them (deps.ts). The Dockerfile
 * parser lives in `dockerfile/`, `.dockerignore` matching in `dockerignore/`.
 * Reference: https://docs.docker.com/reference/dockerfile/
 */
export { createBuilder } from './builder.js';
export type { Builder, BuildRequest, BuildOutput } from './builder.js';
export type {
  BuildDeps,
  BuildImage,
  BuildImageStore,
  BuildCacheStore,
  BuildNetwork,
  BuildSandbox,
  ResolveBaseImage,
} from './deps.js';
