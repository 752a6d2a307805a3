import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePsOutput } from './top.js';

const PS_EF = `UID        PID  PPID  C STIME TTY          TIME CMD
root         1     0  0 08:29 ?        00:00:39 /sbin/init splash
root      4242  4240  0 10:01 ?        00:00:00 sleep 100
root      4243  4242  0 10:01 pts/0    00:00:00 sh -c echo a  b
`;

test('ps output keeps only the given PIDs, with the command and its spaces as the last column', () => {
  assert.deepEqual(parsePsOutput(PS_EF, new Set([4242, 4243])), {
    Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
    Processes: [
      ['root', '4242', '4240', '0', '10:01', '?', '00:00:00', 'sleep 100'],
      ['root', '4243', '4242', '0', '10:01', 'pts/0', '00:00:00', 'sh -c echo a b'],
    ],
  });
});

test('ps output without a PID column is refused with Docker’s message', () => {
  assert.throws(() => parsePsOutput('USER CMD\nroot sh\n', new Set([1])), /Couldn't find PID field in ps output/);
});
