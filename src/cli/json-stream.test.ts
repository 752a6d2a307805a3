import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readJSONValues } from './json-stream.js';

async function collect(chunks: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of readJSONValues(Readable.from(chunks) as AsyncIterable<string>)) out.push(v);
  return out;
}

describe('readJSONValues', () => {
  test('splits CRLF-separated objects', async () => {
    assert.deepEqual(await collect(['{"a":1}\r\n{"b":2}\r\n']), [{ a: 1 }, { b: 2 }]);
  });
  test('joins objects cut across chunks, braces inside strings included', async () => {
    assert.deepEqual(await collect(['{"s":"a}', '\\"{"', ',"n":[1,', '2]}{"x"', ':true}']), [
      { s: 'a}"{', n: [1, 2] },
      { x: true },
    ]);
  });
  test('a truncated object at the end is an error', async () => {
    await assert.rejects(collect(['{"a":1}', '{"b":']), SyntaxError);
  });
});
