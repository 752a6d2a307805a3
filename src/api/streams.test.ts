import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProgressEvent } from '../kernel/index.js';
import { encodeFrame, formatProgress, humanSize, progressMessage, StdStream, type JsonMessage } from './streams.js';

describe('progress messages', () => {
  const rows: [ProgressEvent, JsonMessage][] = [
    [{ status: 'Digest: sha256:abc' }, { status: 'Digest: sha256:abc' }],
    [
      { id: 'latest', status: 'Pulling from library/busybox' },
      { status: 'Pulling from library/busybox', progressDetail: {}, id: 'latest' },
    ],
    [
      { id: 'a1b2c3', status: 'Pulling fs layer' },
      { status: 'Pulling fs layer', progressDetail: {}, id: 'a1b2c3' },
    ],
    [
      { id: 'a1b2c3', status: 'Downloading', current: 1000, total: 2000 },
      {
        status: 'Downloading',
        progressDetail: { current: 1000, total: 2000 },
        progress: `[${'='.repeat(25)}>${' '.repeat(25)}]      1kB/2kB`,
        id: 'a1b2c3',
      },
    ],
    [
      { id: 'a1b2c3', status: 'Loading layer', current: 512 },
      { status: 'Loading layer', progressDetail: { current: 512 }, progress: '    512B', id: 'a1b2c3' },
    ],
  ];
  for (const [event, expected] of rows) {
    test(`"${event.status}" becomes Docker's progress line`, () => assert.deepEqual(progressMessage(event), expected));
  }

  test('the bar is full at completion and never overflows', () => {
    assert.equal(formatProgress(10, 10), `[${'='.repeat(50)}>] ${'10B'.padStart(8)}/10B`);
    assert.equal(formatProgress(20, 10), `[${'='.repeat(50)}>] ${'20B'.padStart(8)}`);
    assert.equal(formatProgress(0, undefined), '');
  });

  const sizes: [number, string][] = [
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [2_106_368, '2.106MB'],
    [1_500_000_000, '1.5GB'],
  ];
  for (const [bytes, text] of sizes) {
    test(`${bytes} bytes read as ${text}`, () => assert.equal(humanSize(bytes), text));
  }
});

describe('multiplexed frames', () => {
  test('a frame is the stream byte, three zeros, the big-endian size, then the payload', () => {
    const frame = encodeFrame(StdStream.stderr, Buffer.from('oops\n'));
    assert.deepEqual([...frame.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 5]);
    assert.equal(frame.subarray(8).toString(), 'oops\n');
  });
  test('sizes above 255 use every size byte', () => {
    const frame = encodeFrame(StdStream.stdout, Buffer.alloc(0x010203));
    assert.deepEqual([...frame.subarray(0, 8)], [1, 0, 0, 0, 0, 0x01, 0x02, 0x03]);
    assert.equal(frame.length, 8 + 0x010203);
  });
});
