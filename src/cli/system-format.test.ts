import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ansicDate, clientVersion, renderServerInfo, renderVersion } from './system-format.js';

describe('version output', () => {
  test('build times print in Go ANSIC form', () => {
    assert.equal(ansicDate('2025-05-30T12:07:35.000000000+00:00'), 'Fri May 30 12:07:35 2025');
    assert.equal(ansicDate('2024-03-05T01:02:03Z'), 'Tue Mar ' + ' 5 01:02:03 2024');
    assert.equal(ansicDate('not a date'), 'not a date');
  });

  test('client and server sections align values at column 20', () => {
    const client = { ...clientVersion('0.1.0'), NodeVersion: 'v20.0.0', Os: 'linux', Arch: 'amd64' };
    const out = renderVersion(client, {
      Version: '0.1.0',
      ApiVersion: '1.55',
      MinAPIVersion: '1.24',
      Os: 'linux',
      Arch: 'amd64',
      Components: [{ Name: 'runc', Version: '1.1.5', Details: { GitCommit: 'abc' } }],
    });
    assert.equal(
      out,
      [
        'Client:',
        ' Version:           0.1.0',
        ' API version:       1.55',
        ' Node version:      v20.0.0',
        ' OS/Arch:           linux/amd64',
        ' Context:           default',
        '',
        'Server:',
        ' Engine:',
        '  Version:          0.1.0',
        '  API version:      1.55 (minimum version 1.24)',
        '  OS/Arch:          linux/amd64',
        ' runc:',
        '  Version:          1.1.5',
        '  GitCommit:        abc',
        '',
      ].join('\n'),
    );
  });

  test('without a server only the client section is printed', () => {
    assert.doesNotMatch(renderVersion(clientVersion('0.1.0'), undefined), /Server/);
  });
});

describe('info output', () => {
  test("prints docker's labels for the fields given", () => {
    const out = renderServerInfo({
      Containers: 3,
      ContainersRunning: 1,
      Images: 2,
      ServerVersion: '0.1.0',
      NCPU: 4,
      MemTotal: 8233013248,
      DockerRootDir: '/var/lib/berth',
    });
    assert.ok(
      out.startsWith(' Containers: 3\n  Running: 1\n  Paused: 0\n  Stopped: 0\n Images: 2\n Server Version: 0.1.0\n'),
    );
    assert.ok(
      out.includes('\n CPUs: 4\n Total Memory: 7.668GiB\n Docker Root Dir: /var/lib/berth\n Debug Mode: false\n'),
    );
    assert.ok(out.endsWith(' Live Restore Enabled: false\n\n'));
  });
});
