import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSyncMessage } from './conmon-sync.js';
import { exitCodeOfStartFailure } from './exit.js';
import { runcErrorMessage } from './runc-error.js';

// What conmon 2.1.6 wrote here for a missing command, runc running with --log-format=json.
const NOT_FOUND =
  '{"data": -1, "message": "{\\"level\\":\\"error\\",\\"msg\\":\\"runc create failed: unable to start container process: exec: \\\\\\"nonexist\\\\\\": executable file not found in $PATH\\",\\"time\\":\\"2026-11-27T09:19:26Z\\"}\\n"}';

test('sync pipe messages give the pid, runc error text, or nothing for foreign lines', () => {
  const rows: [string, ReturnType<typeof parseSyncMessage>][] = [
    ['{"data": 4242}', { ok: true, pid: 4242 }],
    [
      NOT_FOUND,
      {
        ok: false,
        message:
          'runc create failed: unable to start container process: exec: "nonexist": executable file not found in $PATH',
      },
    ],
    ['{"data": -1, "message": "plain text"}', { ok: false, message: 'plain text' }],
    ['{"data": -1}', { ok: false, message: 'conmon reported status -1' }],
    ['{"pid": 1}', undefined],
    ['not json', undefined],
  ];
  for (const [line, want] of rows) assert.deepEqual(parseSyncMessage(line), want, line);
});

test('runc error messages come from its error-level JSON lines, else the raw text', () => {
  const stderr = '{"level":"warning","msg":"w"}\n{"level":"error","msg":"container not running"}\n';
  assert.equal(runcErrorMessage(stderr), 'container not running');
  assert.equal(runcErrorMessage('panic: boom\n'), 'panic: boom');
});

test('start failures map to the exit codes the docker CLI uses', () => {
  const rows: [string, number | undefined][] = [
    ['exec: "x": executable file not found in $PATH', 127],
    ['exec: "/x": stat /x: no such file or directory', 127],
    ['exec: "/etc": permission denied', 126],
    ['cgroup mount failed', undefined],
  ];
  for (const [message, code] of rows) assert.equal(exitCodeOfStartFailure(message), code, message);
});
