import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorFromResponse, isCertificateFailure, networkError } from './errors.js';

const body = (code: string, message: string) => JSON.stringify({ errors: [{ code, message, detail: {} }] });

describe('errorFromResponse', () => {
  const cases: [string, number, string, string, string | undefined, string, boolean][] = [
    [
      'an unknown manifest is not-found in Docker\u2019s words',
      404,
      body('MANIFEST_UNKNOWN', 'manifest unknown'),
      'not-found',
      'MANIFEST_UNKNOWN',
      'x: manifest unknown: manifest unknown',
      false,
    ],
    [
      'an unknown repository is not-found',
      404,
      body('NAME_UNKNOWN', 'repository name not known to registry'),
      'not-found',
      'NAME_UNKNOWN',
      'x: name unknown: repository name not known to registry',
      false,
    ],
    [
      'an unknown blob is not-found',
      404,
      body('BLOB_UNKNOWN', 'blob unknown to registry'),
      'not-found',
      'BLOB_UNKNOWN',
      'x: blob unknown: blob unknown to registry',
      false,
    ],
    [
      'a 401 is unauthorized',
      401,
      body('UNAUTHORIZED', 'authentication required'),
      'unauthorized',
      'UNAUTHORIZED',
      'x: unauthorized: authentication required',
      false,
    ],
    [
      'a 401 without a body still says authentication is required',
      401,
      '',
      'unauthorized',
      undefined,
      'x: unauthorized: authentication required',
      false,
    ],
    [
      'DENIED is forbidden',
      403,
      body('DENIED', 'requested access to the resource is denied'),
      'forbidden',
      'DENIED',
      'x: denied: requested access to the resource is denied',
      false,
    ],
    [
      'a 403 from a proxy is forbidden',
      403,
      '<html>nope</html>',
      'forbidden',
      undefined,
      'x: denied: requested access to the resource is denied',
      false,
    ],
    [
      'TOOMANYREQUESTS is unavailable and worth a retry',
      429,
      body('TOOMANYREQUESTS', 'slow down'),
      'unavailable',
      'TOOMANYREQUESTS',
      'x: toomanyrequests: slow down',
      true,
    ],
    [
      'a 503 is unavailable and worth a retry',
      503,
      'Service Unavailable',
      'unavailable',
      undefined,
      'x: unexpected status 503',
      true,
    ],
    [
      'an invalid manifest is invalid-argument',
      400,
      body('MANIFEST_INVALID', 'manifest invalid'),
      'invalid-argument',
      'MANIFEST_INVALID',
      'x: manifest invalid: manifest invalid',
      false,
    ],
    [
      'a token server\u2019s details become the message',
      401,
      '{"details":"incorrect username or password"}',
      'unauthorized',
      'UNAUTHORIZED',
      'x: unauthorized: incorrect username or password',
      false,
    ],
    [
      'an unsupported operation is failed-precondition',
      405,
      body('UNSUPPORTED', 'The operation is unsupported.'),
      'failed-precondition',
      'UNSUPPORTED',
      'x: unsupported: The operation is unsupported.',
      false,
    ],
  ];
  for (const [name, status, text, kind, code, message, retryable] of cases) {
    test(name, () => {
      const e = errorFromResponse(status, text, 'x');
      assert.deepEqual(
        { kind: e.kind, code: e.code, message: e.message, retryable: e.retryable },
        { kind, code, message, retryable },
      );
    });
  }

  test('several errors are all named', () => {
    const text = JSON.stringify({
      errors: [
        { code: 'BLOB_UNKNOWN', message: 'a' },
        { code: 'DIGEST_INVALID', message: 'b' },
      ],
    });
    assert.equal(errorFromResponse(404, text, 'x').message, 'x: blob unknown: a, digest invalid: b');
  });
});

describe('networkError', () => {
  const withCode = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });
  test('a refused connection is unavailable, names the URL, and is not retried', () => {
    const e = networkError(withCode('ECONNREFUSED'), 'GET', 'http://127.0.0.1:1/v2/');
    assert.equal(e.kind, 'unavailable');
    assert.equal(e.message, 'Get "http://127.0.0.1:1/v2/": connection refused');
    assert.equal((e as { retryable?: boolean }).retryable, false);
  });
  test('a connection reset mid-way is retried', () => {
    assert.equal((networkError(withCode('ECONNRESET'), 'GET', 'u') as { retryable?: boolean }).retryable, true);
  });
  test('a registry that stays silent past the idle time is not retried', () => {
    const e = networkError(withCode('UND_ERR_HEADERS_TIMEOUT'), 'GET', 'u');
    assert.match(e.message, /no response in time/);
    assert.equal((e as { retryable?: boolean }).retryable, false);
  });
  test('a connect timeout says the registry did not answer', () => {
    assert.match(networkError(withCode('UND_ERR_CONNECT_TIMEOUT'), 'GET', 'u').message, /connection timed out/);
  });
  test('an unknown CA is a TLS failure with a hint about certs.d', () => {
    const e = networkError(withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'GET', 'https://r/v2/');
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /TLS: .*certs\.d/);
    assert.equal(isCertificateFailure(e), true);
  });
  test('a plain-HTTP server answering TLS is not a certificate failure', () => {
    assert.equal(isCertificateFailure(networkError(withCode('ERR_SSL_WRONG_VERSION_NUMBER'), 'GET', 'u')), false);
  });
  test('an aborted request is canceled', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(networkError(new Error('aborted'), 'GET', 'u', controller.signal).kind, 'canceled');
  });
});
