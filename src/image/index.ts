/**
 * image — what an image is, independent of where it is stored: descriptors,
 * manifests and indexes (OCI and Docker schema 2), image configs, platform
 * choice, and config edits. Pure logic: no I/O, no database.
 * Implements image-spec manifest.md, image-index.md, config.md, descriptor.md.
 */
export { MediaType, layerCompression } from './media-types.js';
export type { Descriptor, Platform, Manifest, Index, ContainerDefaults, HistoryEntry, ImageConfig } from './types.js';
export { parseManifest, parseImageConfig, makeManifest, encodeJson } from './parse.js';
export type { ParsedManifest } from './parse.js';
export { hostPlatform, parsePlatform, chooseManifest } from './platform.js';
export { applyConfigChanges } from './config-changes.js';
