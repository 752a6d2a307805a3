/**
 * The build context: the tar the client sends (maybe gzip-compressed),
 * streamed straight into a directory under the work root with the archive
 * module's safe extraction (no path escapes, no following symlinks), so
 * memory does not grow with the context. Nothing of it is buffered whole.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extractLayer, openDecompressed } from '../archive/index.js';
import { BerthError, invalidArgument, isErrno } from '../kernel/index.js';

/** The Dockerfile name when the request names none. */
export const DEFAULT_DOCKERFILE = 'Dockerfile';
/** The ignore file Docker reads from the context root. */
export const DOCKERIGNORE_FILE = '.dockerignore';

export interface BuildContext {
  /** The unpacked context root. */
  readonly dir: string;
  dispose(): Promise<void>;
}

/** Unpacks the request body into a new directory under `workRoot`. */
export async function receiveContext(
  body: Readable,
  workRoot: string,
  options: { signal?: AbortSignal } = {},
): Promise<BuildContext> {
  const dir = join(workRoot, 'contexts', randomBytes(8).toString('hex'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const { stream } = await openDecompressed(body);
    await extractLayer(stream, dir, options);
    return { dir, dispose };
  } catch (e) {
    await dispose();
    if (e instanceof BerthError && e.kind === 'invalid-argument') {
      throw invalidArgument(`the build context is not a valid tar archive: ${e.message}`, e);
    }
    throw e;
  }
}

/** `remote` contexts (a git repository or a URL for the daemon to fetch). */
export function refuseRemoteContext(remote: string | undefined): void {
  if (remote !== undefined && remote !== '') {
    throw new BerthError(
      'not-implemented',
      `remote build contexts (${remote}) are not implemented by berth yet: send the context as a tar`,
    );
  }
}

/** Reads the Dockerfile named by the request (relative to the context root). */
export async function readDockerfile(context: BuildContext, name = DEFAULT_DOCKERFILE): Promise<string> {
  const rel = contextPath(name);
  try {
    const st = await lstat(join(context.dir, rel));
    if (!st.isFile()) throw invalidArgument(`Cannot locate specified Dockerfile: ${name}`);
    return await readFile(join(context.dir, rel), 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) {
      throw invalidArgument(`Cannot locate specified Dockerfile: ${name}`);
    }
    throw e;
  }
}

/** The `.dockerignore` text, or '' without one. */
export async function readDockerignore(context: BuildContext): Promise<string> {
  return readFile(join(context.dir, DOCKERIGNORE_FILE), 'utf8').catch((e: unknown) => {
    if (isErrno(e, 'ENOENT')) return '';
    throw e;
  });
}

/**
 * A path inside the context, cleaned lexically: `/` is the context root,
 * `..` may not leave it. Returns it relative, without leading `./` ('' for the root).
 */
export function contextPath(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw invalidArgument(`forbidden path outside the build context: ${p}`);
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}
