import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDemuxer } from './frames.js';

function frame(stream: number, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

const stream = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, ''), frame(1, 'bye\n')]);
const expected = [
  ['stdout', 'hello\n'],
  ['stderr', 'oops\n'],
  ['stdout', ''],
  ['stdout', 'bye\n'],
];

test('frames split at every possible byte boundary come out whole and in order', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const demux = new FrameDemuxer();
    const got = [...demux.push(stream.subarray(0, cut)), ...demux.push(stream.subarray(cut))];
    assert.deepEqual(
      got.map((f) => [f.stream, f.payload.toString()]),
      expected,
      `cut at ${cut}`,
    );
    assert.equal(demux.leftover, 0);
  }
});

test('a stream fed one byte at a time yields the same frames', () => {
  const demux = new FrameDemuxer();
  const got = [...stream].flatMap((byte) => demux.push(Buffer.from([byte])));
  assert.deepEqual(
    got.map((f) => [f.stream, f.payload.toString()]),
    expected,
  );
});

test('an unknown stream byte is an error', () => {
  assert.throws(() => new FrameDemuxer().push(frame(7, 'x')), /Unrecognized input header: 7/);
});
