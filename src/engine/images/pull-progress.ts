import { digestHex, type Digest, type ProgressSink } from '../../kernel/index.js';
import { throttled } from './distribution.js';

/** How often a layer's byte count is reported: often enough for smooth bars, rarely enough to be cheap. */
const PROGRESS_INTERVAL_MS = 100;

/** Docker names layers in pull progress by the first 12 hex digits of the blob digest. */
export function shortLayerId(digest: Digest): string {
  return digestHex(digest).slice(0, 12);
}

/** An `onBytes` callback that reports "Downloading" with current/total, throttled. */
export function downloadProgress(progress: ProgressSink, id: string, total: number): (received: number) => void {
  const report = throttled(PROGRESS_INTERVAL_MS, (current) => progress({ id, status: 'Downloading', current, total }));
  return (received) => report(received, received >= total);
}
