import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allCapabilities, containerCapabilities, dockerDefaultCapabilities, normalizeCapability } from './caps.js';

test('capability sets follow Docker for add, drop, ALL and privileged', () => {
  const defaults = [...dockerDefaultCapabilities];
  const cases: { name: string; options: Parameters<typeof containerCapabilities>[0]; want: string[] }[] = [
    { name: 'defaults', options: {}, want: defaults },
    {
      name: 'add without prefix, lower case',
      options: { capAdd: ['sys_admin'] },
      want: [...defaults, 'CAP_SYS_ADMIN'],
    },
    { name: 'drop one', options: { capDrop: ['NET_RAW'] }, want: defaults.filter((c) => c !== 'CAP_NET_RAW') },
    { name: 'drop ALL keeps only adds', options: { capDrop: ['ALL'], capAdd: ['CAP_CHOWN'] }, want: ['CAP_CHOWN'] },
    {
      name: 'add ALL minus drops',
      options: { capAdd: ['all'], capDrop: ['SYS_ADMIN'], lastCap: 40 },
      want: allCapabilities(40).filter((c) => c !== 'CAP_SYS_ADMIN'),
    },
    { name: 'add an existing one does not duplicate', options: { capAdd: ['CHOWN'] }, want: defaults },
    {
      name: 'privileged is everything the kernel knows',
      options: { privileged: true, lastCap: 37 },
      want: allCapabilities(37),
    },
  ];
  for (const { name, options, want } of cases) assert.deepEqual(containerCapabilities(options), want, name);
  assert.equal(allCapabilities(37).at(-1), 'CAP_AUDIT_READ');
});

test('unknown capability names are refused with Docker wording', () => {
  assert.throws(() => normalizeCapability('bogus'), {
    kind: 'invalid-argument',
    message: 'unknown capability: "CAP_BOGUS"',
  });
});
