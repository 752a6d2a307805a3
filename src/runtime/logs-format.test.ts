import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTimestamp, parseLogRecord, parseTimestamp, secondsToNs } from './logs-format.js';

const T0 = 1_795_771_163_000_000_000n; // 2026-11-27T09:19:23Z

test('log records of conmon k8s-file lines are parsed, malformed ones are rejected', () => {
  const rows: [string, ReturnType<typeof parseLogRecord> | undefined][] = [
    ['2026-11-27T09:19:23.000000001+00:00 stdout F hi there', rec(T0 + 1n, 'stdout', true, 'hi there')],
    ['2026-11-27T10:19:23.5+01:00 stderr P par', rec(T0 + 500_000_000n, 'stderr', false, 'par')],
    ['2026-11-27T09:19:23Z stdout F', rec(T0, 'stdout', true, '')],
    ['2026-11-27T09:19:23Z stdout F  two spaces', rec(T0, 'stdout', true, ' two spaces')],
    ['2026-11-27T09:19:23Z stdin F x', undefined],
    ['2026-11-27T09:19:23Z stdout X x', undefined],
    ['yesterday stdout F x', undefined],
    ['', undefined],
  ];
  for (const [line, want] of rows) assert.deepEqual(parseLogRecord(Buffer.from(line)), want, line);
});

function rec(timeNs: bigint, stream: 'stdout' | 'stderr', complete: boolean, text: string) {
  return { timeNs, stream, complete, text: Buffer.from(text) };
}

test('timestamps keep nanoseconds and honour the UTC offset', () => {
  assert.equal(parseTimestamp('2026-11-27T09:19:23.123456789Z'), T0 + 123_456_789n);
  assert.equal(parseTimestamp('2026-11-27T04:19:23.1-05:00'), T0 + 100_000_000n);
  assert.equal(parseTimestamp('2026-11-27 09:19:23Z'), undefined);
});

test("Docker's timestamp form is UTC with nine fractional digits", () => {
  assert.equal(formatTimestamp(T0 + 1n), '2026-11-27T09:19:23.000000001Z');
  assert.equal(formatTimestamp(T0 + 120_000_000n), '2026-11-27T09:19:23.120000000Z');
});

test('fractional seconds convert to nanoseconds', () => {
  assert.equal(secondsToNs(1795771163.25), T0 + 250_000_000n);
  assert.equal(secondsToNs(0), 0n);
});
