/**
 * berth's warning before `rm` throws away a container's writable layer:
 * what is in it (from `GET /containers/{id}/changes?size=1`) and how to keep it.
 */
import { humanSizeWithPrecision } from './units.js';

/** One entry of `?size=1`: Kind 0 modified, 1 added, 2 deleted (Docker's ChangeType). */
export interface SizedChange {
  Path: string;
  Kind: number;
  Size?: number;
}

const DELETED = 2;

export interface LayerSummary {
  files: number;
  /** Bytes of added and modified files; a deletion frees nothing in the layer. */
  bytes: number;
}

export function summarizeChanges(changes: readonly SizedChange[]): LayerSummary {
  let bytes = 0;
  for (const c of changes) if (c.Kind !== DELETED) bytes += c.Size ?? 0;
  return { files: changes.length, bytes };
}

/** The lines shown before removal (without the question). */
export function layerWarning(container: string, s: LayerSummary): string {
  const files = s.files === 1 ? '1 changed file' : `${s.files} changed files`;
  const size = humanSizeWithPrecision(s.bytes, 3);
  return (
    `${container}: this container's writable layer holds ${files} (${size}). They are lost when it is removed.\n` +
    `Keep them as an image with 'berth commit ${container} IMAGE'; keep data that must outlive containers in volumes.\n`
  );
}

export const REMOVE_QUESTION = 'Remove anyway? [y/N] ';
