/**
 * archive — tar in and out, safely: layer extraction into a directory with
 * whiteouts converted for overlayfs and every escape refused, decompression
 * (gzip, zstd), and the docker-archive `manifest.json` format. Knows nothing
 * of the content store or images; callers hand it streams and directories.
 * Implements image-spec layer.md (changesets, whiteouts).
 */
export { extractLayer } from './extract.js';
export type { ExtractStats, ExtractOptions } from './extract.js';
export { openDecompressed, isGzip, createLayerGunzip } from './decompress.js';
export type { Compression, DecompressedStream } from './decompress.js';
export { parseDockerManifestJson, dockerManifestJson } from './docker-archive.js';
export type { DockerArchiveManifest } from './docker-archive.js';
export { writeLayerTar } from './layer-writer.js';
export type { WriteLayerOptions } from './layer-writer.js';
export { listChanges, ChangeKind } from './layer-writer-changes.js';
export type { Change } from './layer-writer-changes.js';
