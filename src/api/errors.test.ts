import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BerthError, notFound, type ErrorKind } from '../kernel/index.js';
import { errorBody, errorKindOf, statusForKind, toErrorReply } from './errors.js';

describe('error kinds to HTTP status', () => {
  // Docker's table (moby httpstatus.FromError).
  const rows: [ErrorKind, number][] = [
    ['not-found', 404],
    ['already-exists', 409],
    ['invalid-argument', 400],
    ['conflict', 409],
    ['failed-precondition', 400],
    ['not-modified', 304],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['unavailable', 503],
    ['not-implemented', 501],
    ['canceled', 500],
    ['internal', 500],
  ];
  for (const [kind, status] of rows) {
    test(`${kind} is ${status}`, () => {
      assert.equal(statusForKind(kind), status);
      assert.deepEqual(toErrorReply(new BerthError(kind, 'm')), { status, message: 'm', serverFault: status >= 500 });
    });
  }

  test('a plain Error wrapping a BerthError takes the wrapped kind and keeps its own message', () => {
    const e = new Error('loading image failed', { cause: notFound('No such image: x') });
    assert.deepEqual(toErrorReply(e), { status: 404, message: 'loading image failed', serverFault: false });
  });

  test('an AbortError from a fired signal is a cancellation', () => {
    const e = new DOMException('The operation was aborted', 'AbortError');
    assert.equal(errorKindOf(e), 'canceled');
  });

  test('an unknown error is internal and keeps its message', () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { code: 'ENOENT' });
    assert.deepEqual(toErrorReply(e), { status: 500, message: e.message, serverFault: true });
    assert.deepEqual(toErrorReply('a thrown string'), { status: 500, message: 'a thrown string', serverFault: true });
  });

  test('the body is Docker\'s {"message": ...}', () => {
    assert.deepEqual(JSON.parse(errorBody('No such container: x')), { message: 'No such container: x' });
  });
});
