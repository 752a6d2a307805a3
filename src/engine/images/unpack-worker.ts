/**
 * A layer unpack worker thread (see ./unpack-pool.ts): runs `unpackStream`
 * for each job the main thread starts, on the bytes it sends. Several jobs
 * may run at once; each has its own feed and abort controller.
 */
import { parentPort } from 'node:worker_threads';
import { BerthError, newDigester } from '../../kernel/index.js';
import { openFeed, type Feed } from './unpack-feed.js';
import { errorFromWire, errorToWire, type FromWorker, type ToWorker, type UnpackResult } from './unpack-protocol.js';
import { unpackStream } from './unpack-stream.js';

interface Job {
  fsDir: string;
  controller: AbortController;
  /** Made from the first bytes, which say how to decompress them. */
  feed?: Feed;
  /** Every byte the job is sent, hashed here so the main thread need not: the blob's digest. */
  blob: ReturnType<typeof newDigester>;
  /** The unpack's result, held until `end` (the blob's digest needs every byte). */
  result?: UnpackResult;
  ended: boolean;
}

const port = parentPort;
if (!port) throw new Error('unpack-worker.js must run as a worker thread');
const jobs = new Map<number, Job>();
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const giveBack = (job: number) => (buffer: ArrayBuffer) => send({ type: 'return', job, buffer }, [buffer]);

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    jobs.set(message.job, {
      fsDir: message.fsDir,
      controller: new AbortController(),
      blob: newDigester(),
      ended: false,
    });
    return;
  }
  const job = jobs.get(message.job);
  if (message.type === 'data') {
    const bytes = new Uint8Array(message.buffer, 0, message.length);
    // Hashed before the feed, which may hand the buffer back at once.
    job?.blob.hash.update(bytes);
    // Bytes after the layer's end (padding past the tar's end blocks) are only hashed.
    if (job && !job.result) (job.feed ?? start(message.job, job, bytes)).write(message.buffer, message.length);
    else giveBack(message.job)(message.buffer);
    return;
  }
  // A job that already failed: the main thread learns that from our `error`.
  if (!job) return;
  if (message.type === 'end') {
    job.ended = true;
    if (!job.result) (job.feed ?? start(message.job, job, new Uint8Array())).end();
    finish(message.job, job);
  } else {
    job.controller.abort();
    const error = errorFromWire(message.error);
    // A running unpack reports the abort itself; a finished (or unstarted) one is failed here.
    if (job.feed && !job.result) job.feed.destroy(error);
    else fail(message.job, error);
  }
});

function start(id: number, job: Job, head: Uint8Array): Feed {
  const feed = openFeed(head, giveBack(id));
  job.feed = feed;
  const { signal } = job.controller;
  unpackStream(feed.stream, job.fsDir, { signal, decompressed: feed.decompressed }).then(
    (result) => {
      job.result = result;
      finish(id, job);
    },
    (e: unknown) => {
      feed.destroy();
      fail(id, signal.aborted ? new BerthError('canceled', 'layer extraction canceled') : e);
    },
  );
  return feed;
}

/** Reports a job once both its unpack and its bytes are done. */
function finish(id: number, job: Job): void {
  if (!job.result || !job.ended || jobs.get(id) !== job) return;
  jobs.delete(id);
  send({ type: 'done', job: id, result: { ...job.result, blobDigest: job.blob.digest() } });
}

function fail(id: number, error: unknown): void {
  jobs.delete(id);
  send({ type: 'error', job: id, error: errorToWire(error) });
}
