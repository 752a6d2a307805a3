import assert from 'node:assert/strict';
import { startDaemon, type TestDaemon } from './daemon.js';
import { busyboxRootfs } from './images.js';

/** A berthd with `busybox:latest` imported, and the helpers container tests share. */
export interface ContainerTestDaemon extends TestDaemon {
  /** Runs the docker CLI, asserts success, returns trimmed stdout. */
  ok(args: string[]): Promise<string>;
  /** `docker inspect -f format name`. */
  inspect(format: string, name: string): Promise<string>;
  /** Removes every container, then stops the daemon. */
  cleanUp(): Promise<void>;
}

export async function startContainerDaemon(): Promise<ContainerTestDaemon> {
  const d = await startDaemon();
  const imported = await d.docker(['import', '-c', 'CMD ["sh"]', '-', 'busybox:latest'], {
    input: await busyboxRootfs(),
  });
  assert.equal(imported.code, 0, imported.stderr);
  const ok = async (args: string[]) => {
    const r = await d.docker(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  return {
    ...d,
    ok,
    inspect: (format, name) => ok(['inspect', '-f', format, name]),
    cleanUp: async () => {
      const ids = (await d.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
      if (ids.length) await d.docker(['rm', '-f', ...ids]);
      await d.stop();
    },
  };
}

/** Polls `check` until it holds; for things that happen on the daemon's own timers (restarts, probes). */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting until ${what}`);
}
