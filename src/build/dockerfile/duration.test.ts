import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from './duration.js';

describe('parseGoDuration', () => {
  const good: [text: string, ns: number][] = [
    ['0', 0],
    ['0s', 0],
    ['1ns', 1],
    ['1us', 1e3],
    ['1\u00b5s', 1e3],
    ['1\u03bcs', 1e3],
    ['1.5ms', 1.5e6],
    ['30s', 30e9],
    ['1m30s', 90e9],
    ['2h45m', 9900e9],
    ['.5s', 0.5e9],
    ['5.s', 5e9],
    ['+1s', 1e9],
    ['-1s', -1e9],
  ];
  for (const [text, ns] of good) {
    test(`reads ${text} as ${ns}ns`, () => {
      assert.equal(parseGoDuration(text), ns);
    });
  }

  const bad: [text: string, message: string][] = [
    ['', 'time: invalid duration ""'],
    ['s', 'time: invalid duration "s"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1s2', 'time: missing unit in duration "1s2"'],
    ['3d', 'time: unknown unit "d" in duration "3d"'],
  ];
  for (const [text, message] of bad) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseGoDuration(text), { message });
    });
  }
});
