import { Readable } from 'node:stream';

export interface PeekedStream {
  /** Up to the requested number of first bytes; fewer only if the input is shorter. */
  head: Buffer;
  /** The whole input again, head included. */
  stream: Readable;
}

/**
 * Reads the first `size` bytes of a paused-mode readable and puts them back,
 * so format detection loses nothing. An input that ends sooner is replaced by
 * a stream of what it had, since a stream cannot be unshifted after its end.
 */
export function peekHead(input: Readable, size: number): Promise<PeekedStream> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (ended: boolean) => {
      input.off('readable', onReadable).off('end', onEnd).off('error', onError).off('close', onClose);
      const head = Buffer.concat(chunks);
      if (ended) {
        resolve({ head, stream: Readable.from(head.length > 0 ? [head] : [], { objectMode: false }) });
      } else {
        input.unshift(head);
        resolve({ head: head.subarray(0, size), stream: input });
      }
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (length < size && (chunk = input.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length >= size) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (err: Error) => {
      input.off('readable', onReadable).off('end', onEnd).off('close', onClose);
      reject(err);
    };
    // Destroyed without an error: neither 'end' nor 'error' will come.
    const onClose = () => {
      if (!input.readableEnded) onError(new Error('stream closed before its first bytes were read'));
    };
    if (input.destroyed) {
      reject(input.errored ?? new Error('stream destroyed before its first bytes were read'));
      return;
    }
    input.on('readable', onReadable).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
