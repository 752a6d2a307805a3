import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { FrameDemuxer } from './frames.js';

async function write(stream: Writable, data: Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

/**
 * Copies a container's output to stdout/stderr until the daemon ends it:
 * frames are split by stream; a TTY's raw bytes all go to stdout.
 */
export async function copyOutput(
  body: Readable,
  target: { stdout: Writable; stderr: Writable },
  multiplexed: boolean,
): Promise<void> {
  const demux = new FrameDemuxer();
  for await (const chunk of body) {
    if (!multiplexed) {
      await write(target.stdout, chunk as Buffer);
      continue;
    }
    for (const frame of demux.push(chunk as Buffer)) {
      await write(frame.stream === 'stderr' ? target.stderr : target.stdout, frame.payload);
    }
  }
}
