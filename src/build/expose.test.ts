import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exposedPorts } from './expose.js';

const good: [string[], string[]][] = [
  [['80'], ['80/tcp']],
  [
    ['53/udp', '443/TCP'],
    ['53/udp', '443/tcp'],
  ],
  [['8000-8002'], ['8000/tcp', '8001/tcp', '8002/tcp']],
];
for (const [words, ports] of good) {
  test(`EXPOSE ${words.join(' ')} exposes ${ports.join(', ')}`, () => assert.deepEqual(exposedPorts(words), ports));
}

for (const bad of ['http', '80/foo', '90-80', '8080:80']) {
  test(`EXPOSE ${bad} is refused`, () => assert.throws(() => exposedPorts([bad]), /invalid/));
}
