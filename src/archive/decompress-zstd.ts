import { spawn } from 'node:child_process';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { BerthError, isErrno } from '../kernel/index.js';

/** Debian's zstd; Node 20's zlib has no zstd. */
const ZSTD = '/usr/bin/zstd';
const MAX_STDERR = 4096;

/**
 * Decompresses through a `zstd -d` child. The returned stream ends only after
 * zstd exited 0, so truncated or corrupt input is an error, never a short
 * stream; destroying it kills zstd and destroys the source.
 */
export function decompressZstd(source: Readable): Readable {
  const child = spawn(ZSTD, ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new PassThrough();
  let stderr = '';
  const fail = (err: Error) => {
    if (!out.destroyed) out.destroy(err);
  };

  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.length < MAX_STDERR) stderr += s;
  });
  child.on('error', (err) => fail(new BerthError('unavailable', `cannot run ${ZSTD}: ${err.message}`, { cause: err })));
  child.on('close', (code, signal) => {
    if (code === 0) out.end();
    else
      fail(
        new BerthError(
          'invalid-argument',
          `zstd decompression failed (${describeExit(code, signal)}): ${stderr.trim()}`,
        ),
      );
  });
  child.stdout.pipe(out, { end: false });
  pipeline(source, child.stdin, (err) => {
    // zstd closing its stdin early (corrupt data) shows up here as EPIPE; its
    // exit status and stderr tell the real story, reported on 'close'.
    if (err && !isErrno(err, 'EPIPE')) fail(err);
  });
  out.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (!source.destroyed) source.destroy();
  });
  return out;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exit status ${code}` : `killed by ${signal ?? 'unknown signal'}`;
}
