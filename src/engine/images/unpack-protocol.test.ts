import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError, invalidArgument } from '../../kernel/index.js';
import { errorFromWire, errorToWire } from './unpack-protocol.js';

describe('errors crossing to and from an unpack worker', () => {
  const cases: { name: string; error: unknown; kind?: string; code?: string; message: string }[] = [
    {
      name: 'a refused entry stays an invalid-argument BerthError',
      error: invalidArgument('invalid layer tar: Invalid tar header'),
      kind: 'invalid-argument',
      message: 'invalid layer tar: Invalid tar header',
    },
    {
      name: 'a cancellation stays canceled',
      error: new BerthError('canceled', 'layer extraction canceled'),
      kind: 'canceled',
      message: 'layer extraction canceled',
    },
    {
      name: 'a zlib error keeps its message and code',
      error: Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' }),
      code: 'Z_DATA_ERROR',
      message: 'incorrect header check',
    },
    { name: 'a plain Error keeps its message', error: new Error('boom'), message: 'boom' },
    { name: 'a thrown string becomes an Error with that text', error: 'odd', message: 'odd' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      // structuredClone is what postMessage does to the wire form.
      const back = errorFromWire(structuredClone(errorToWire(c.error)));
      assert.equal(back.message, c.message);
      assert.equal(back instanceof BerthError ? back.kind : undefined, c.kind);
      assert.equal((back as { code?: unknown }).code, c.code);
    });
  }
});
