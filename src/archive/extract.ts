/**
 * Unpacking one layer tar into its own directory (a snapshot's `fs/`, later an
 * overlayfs lowerdir), converting OCI whiteouts to overlayfs form on the way.
 * Implements OCI image-spec layer.md "Applying Changesets" and "Whiteouts".
 *
 * Safety: nothing is ever written outside `root`. Names are normalised
 * lexically (absolute names and escaping `..` are refused), every parent
 * component is checked to be a real directory (never a symlink), hardlinks may
 * only point at non-directories this layer already holds, and files are
 * created with O_EXCL|O_NOFOLLOW. Refusals are BerthError('invalid-argument')
 * naming the entry.
 */
import { lstat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import tar from 'tar-stream';
import { BerthError, errorMessage, invalidArgument, isBerthError } from '../kernel/index.js';
import { applyEntry, type ExtractStats } from './extract-entry.js';
import { keepRawPaxXattrs, type TarHeader } from './extract-pax.js';
import { LayerTree } from './extract-tree.js';

export type { ExtractStats } from './extract-entry.js';

/** Longest stretch of extraction work without letting other events run. */
const YIELD_EVERY_MS = 10;

export interface ExtractOptions {
  signal?: AbortSignal;
}

/**
 * Extracts the uncompressed layer tar `input` into `root`, an existing empty
 * directory. Needs root privileges (chown, device nodes, trusted.* xattrs).
 * On error or abort it rejects and destroys `input`; what was already written
 * stays in `root`, which the caller deletes.
 */
export async function extractLayer(input: Readable, root: string, options: ExtractOptions = {}): Promise<ExtractStats> {
  const { signal } = options;
  try {
    return await unpack(input, root, signal);
  } catch (e: unknown) {
    input.destroy();
    if (signal?.aborted) throw new BerthError('canceled', 'layer extraction canceled', { cause: e });
    if (isBerthError(e)) throw e;
    throw new BerthError('internal', `extracting layer into ${root}: ${errorMessage(e)}`, { cause: e });
  }
}

async function unpack(input: Readable, root: string, signal: AbortSignal | undefined): Promise<ExtractStats> {
  // Listen before the first await, so an input failing early is an error we
  // report rather than an uncaught one.
  let inputError: unknown;
  input.on('error', (e: unknown) => (inputError ??= e));
  signal?.throwIfAborted();
  await checkRoot(root);
  const tree = new LayerTree(root);
  const stats: ExtractStats = { entries: 0, files: 0, bytes: 0 };
  const extract = tar.extract();
  keepRawPaxXattrs(extract);
  // The parser's own error (a corrupt or truncated tar) says more than the
  // "stream was destroyed" the entry being read sees.
  let parseError: unknown;
  extract.on('error', (e: unknown) => (parseError ??= e));
  // Parsing runs alongside the loop below; its failure (a corrupt tar, an
  // input error, abort) ends the loop through the extract stream's error.
  // The loop must start in this same tick: tar-stream drops entries emitted
  // before its iterator exists.
  const parsing = pipeline(input, extract, signal ? { signal } : {});
  parsing.catch(() => {});
  let lastYield = performance.now();
  try {
    for await (const entry of extract) {
      signal?.throwIfAborted();
      // Entries already parsed resolve as microtasks and small files are
      // written with synchronous calls, so yield now and then to keep the
      // daemon answering during a big unpack.
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await nextTurn();
        lastYield = performance.now();
      }
      // tar-stream's types say unknown; at run time they are its PAX-carrying header and Buffers.
      await applyEntry(tree, entry.header as TarHeader, entry as AsyncIterable<Uint8Array>, stats);
      // Data we did not read (a hardlink or device with a size) must be
      // drained or the parser stalls; a no-op for consumed entries.
      entry.resume();
    }
    await parsing;
    tree.applyDirTimes();
    return stats;
  } catch (e: unknown) {
    extract.destroy();
    if (parseError === undefined || signal?.aborted) throw e;
    if (parseError === inputError) throw inputError;
    throw invalidArgument(`invalid layer tar: ${errorMessage(parseError)}`, parseError);
  }
}

async function checkRoot(root: string): Promise<void> {
  const st = await lstat(root);
  if (!st.isDirectory()) throw invalidArgument(`layer extraction root ${root} is not a directory`);
}
