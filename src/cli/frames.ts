/**
 * Demultiplexes Docker's attach/logs stream: each frame is an 8-byte header
 * (stream byte: 0 stdin, 1 stdout, 2 stderr; three zero bytes; big-endian
 * payload length) then the payload. Frames arrive split at any byte, so
 * partial headers and payloads are held until complete.
 */

export type FrameStream = 'stdout' | 'stderr';

export interface Frame {
  stream: FrameStream;
  payload: Buffer;
}

const HEADER_SIZE = 8;

export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** Returns the frames completed by `chunk`. */
  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= HEADER_SIZE) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_SIZE + size) break;
      const kind = this.pending[0];
      if (kind !== 0 && kind !== 1 && kind !== 2) throw new Error(`Unrecognized input header: ${String(kind)}`);
      frames.push({
        stream: kind === 2 ? 'stderr' : 'stdout',
        payload: this.pending.subarray(HEADER_SIZE, HEADER_SIZE + size),
      });
      this.pending = this.pending.subarray(HEADER_SIZE + size);
    }
    return frames;
  }

  /** Bytes of an unfinished frame at end of stream (a truncated answer). */
  get leftover(): number {
    return this.pending.length;
  }
}
