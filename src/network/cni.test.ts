import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { execPlugin } from './cni.js';

describe('CNI plugin invocation (needs containernetworking-plugins)', () => {
  test("a plugin's error object becomes one line naming the plugin and the command", async () => {
    await assert.rejects(
      execPlugin(
        'ADD',
        // portmap refuses at once to run outside a chain: no side effect on the host.
        { type: 'portmap', name: 't', cniVersion: '1.0.0' },
        { containerId: 'x', netns: '/nonexistent/netns', ifname: 'eth0' },
      ),
      (e: Error) => {
        assert.match(e.message, /^CNI plugin portmap ADD failed: /);
        assert.doesNotMatch(e.message, /[{}]/, 'the JSON error object is unwrapped');
        return true;
      },
    );
  });

  test('a plugin that is not installed is reported as such', async () => {
    await assert.rejects(
      execPlugin(
        'ADD',
        { type: 'no-such-plugin', name: 't', cniVersion: '1.0.0' },
        { containerId: 'x', netns: '/x', ifname: 'eth0' },
      ),
      /CNI plugin no-such-plugin: .*ENOENT/,
    );
  });
});
