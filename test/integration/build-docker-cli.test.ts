import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSteps, writeContext } from '../support/build-context.js';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';
import { packTar } from '../support/images.js';

const MULTI_STAGE = `# a multi-stage build
ARG BASE=busybox
FROM $BASE AS builder
ARG GREETING=hello
ENV TARGET=world OUT=/out
WORKDIR /src
COPY src/ ./
RUN mkdir -p $OUT && echo "$GREETING $TARGET" > $OUT/greeting && cat message.txt > $OUT/message
FROM busybox
LABEL org.example.stage=final
COPY --from=builder /out/ /app/
COPY <<EOF /app/motd
built by berth
EOF
WORKDIR /app
USER 1000:1000
ENTRYPOINT ["cat"]
CMD ["greeting", "message", "motd"]
`;

describe('docker build on berthd (needs root: runc, overlayfs)', () => {
  let d: ContainerTestDaemon;
  let ctx: string;
  before(async () => {
    d = await startContainerDaemon();
    ctx = await writeContext({ Dockerfile: MULTI_STAGE, 'src/message.txt': 'first version\n', 'src/other.txt': 'x\n' });
  });
  after(() => d.cleanUp());

  const build = (args: string[]) => d.docker(['build', ...args]);
  const notFrom = (steps: { step: string; cached: boolean }[]) => steps.filter((s) => !/ : FROM /.test(s.step));

  test('a multi-stage Dockerfile builds and the image runs as written', async () => {
    const r = await build(['-t', 'app', '--build-arg', 'GREETING=hi', ctx]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Step 1\/14 : FROM \$BASE AS builder/);
    assert.match(r.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged app:latest/);
    assert.equal(await d.ok(['run', '--rm', 'app']), 'hi world\nfirst version\nbuilt by berth');
    const config = '{{.Config.User}} {{.Config.WorkingDir}} {{json .Config.Entrypoint}}';
    assert.equal(await d.inspect(config, 'app'), '1000:1000 /app ["cat"]');
    assert.equal(await d.inspect('{{index .Config.Labels "org.example.stage"}}', 'app'), 'final');
    assert.equal(await d.ok(['run', '--rm', '--entrypoint', 'id', 'app', '-u']), '1000');
  });

  test('a second build takes every step from the cache and makes the same image', async () => {
    const before = await d.inspect('{{.Id}}', 'app');
    const r = await build(['-t', 'app', '--build-arg', 'GREETING=hi', ctx]);
    assert.equal(r.code, 0, r.stderr);
    const steps = notFrom(buildSteps(r.stdout));
    assert.equal(steps.length, 12);
    assert.deepEqual(
      steps.filter((s) => !s.cached),
      [],
    );
    assert.equal(await d.inspect('{{.Id}}', 'app'), before);
  });

  test('changing one copied file rebuilds from that step on, and only that', async () => {
    await writeFile(join(ctx, 'src/message.txt'), 'second version, longer\n');
    const r = await build(['-t', 'app', '--build-arg', 'GREETING=hi', ctx]);
    assert.equal(r.code, 0, r.stderr);
    const steps = buildSteps(r.stdout);
    const copyAt = steps.findIndex((s) => s.step.includes('COPY src/ ./'));
    assert.ok(
      notFrom(steps.slice(0, copyAt)).every((s) => s.cached),
      'steps before the COPY come from the cache',
    );
    assert.equal(steps[copyAt]!.cached, false);
    assert.equal(steps[copyAt + 1]!.cached, false, 'the RUN after it runs again');
    assert.match(await d.ok(['run', '--rm', 'app']), /second version, longer/);
  });

  test('--no-cache runs every step again', async () => {
    const r = await build(['--no-cache', '-t', 'app', '--build-arg', 'GREETING=hi', ctx]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      buildSteps(r.stdout).filter((s) => s.cached),
      [],
    );
  });

  test('an unused --build-arg is reported as Docker reports it', async () => {
    const r = await build(['-t', 'app', '--build-arg', 'GREETING=hi', '--build-arg', 'NOBODY=1', ctx]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\[Warning\] One or more build-args \[NOBODY\] were not consumed/);
  });

  test('a failing RUN shows its output and exit code, tags nothing and leaves the old image', async () => {
    const before = await d.inspect('{{.Id}}', 'app');
    const bad = await writeContext({ Dockerfile: 'FROM busybox\nRUN echo about to fail && exit 3\n' });
    const r = await build(['-t', 'app', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /about to fail/);
    assert.match(r.stderr, /The command '\/bin\/sh -c echo about to fail && exit 3' returned a non-zero code: 3/);
    assert.equal(await d.inspect('{{.Id}}', 'app'), before);
  });

  test('COPY of a missing path or one outside the context fails with a clear message', async () => {
    const missing = await writeContext({ Dockerfile: 'FROM busybox\nCOPY nothing-here /x\n' });
    const r1 = await build([missing]);
    assert.notEqual(r1.code, 0);
    assert.match(
      r1.stderr,
      /COPY failed: file not found in build context or excluded by \.dockerignore: stat nothing-here: file does not exist/,
    );
    const escaping = await writeContext({ Dockerfile: 'FROM busybox\nCOPY ../../etc/passwd /x\n' });
    const r2 = await build([escaping]);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /forbidden path outside the build context: \.\.\/\.\.\/etc\/passwd/);
  });

  test('a syntax error names its line and an unknown instruction is refused', async () => {
    const bad = await writeContext({ Dockerfile: 'FROM busybox\nRUN true\nFOO bar\n' });
    const r = await build([bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /line 3: unknown instruction: FOO/i);
  });

  test('.dockerignore hides files from COPY, with ! exceptions', async () => {
    const c = await writeContext({
      Dockerfile: 'FROM busybox\nCOPY . /ctx/\nRUN ls -A /ctx | tr "\\n" " "\n',
      '.dockerignore': 'secret*\n*.log\n!keep.log\n',
      'secret.txt': 's',
      'app.log': 'l',
      'keep.log': 'k',
      'main.txt': 'm',
    });
    const r = await build(['--no-cache', c]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\.dockerignore Dockerfile keep\.log main\.txt /);
  });

  test('ONBUILD triggers run when a later build starts from the image', async () => {
    const base = await writeContext({ Dockerfile: 'FROM busybox\nONBUILD RUN echo triggered > /onbuild.txt\n' });
    assert.equal((await build(['-t', 'onbuild-base', base])).code, 0);
    const child = await writeContext({ Dockerfile: 'FROM onbuild-base\nCMD ["cat", "/onbuild.txt"]\n' });
    const r = await build(['-t', 'onbuild-child', child]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /# Executing 1 build trigger/);
    assert.equal(await d.ok(['run', '--rm', 'onbuild-child']), 'triggered');
    assert.equal(await d.inspect('{{json .Config.OnBuild}}', 'onbuild-child'), 'null');
  });

  test('ADD unpacks a local tar archive and COPY --chown resolves names in the image', async () => {
    const c = await writeContext({
      Dockerfile: [
        'FROM busybox',
        'RUN echo "app:x:1234:4321::/home/app:/bin/sh" >> /etc/passwd && echo "app:x:4321:" >> /etc/group',
        'COPY --chown=app --chmod=640 file.txt /data/file.txt',
        'ADD files.tar /unpacked/',
        'RUN stat -c "%u:%g %a" /data/file.txt && cat /unpacked/inner.txt',
      ].join('\n'),
      'file.txt': 'data',
    });
    await writeFile(join(c, 'files.tar'), await packTar([{ name: 'inner.txt', content: 'from the archive\n' }]));
    const r = await build(['--no-cache', c]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /1234:4321 640\nfrom the archive/);
  });

  test('the cache survives a daemon crash and restart, and builder prune empties it', async () => {
    await d.kill();
    await d.restart();
    const r = await build(['-t', 'app', '--build-arg', 'GREETING=hi', ctx]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(notFrom(buildSteps(r.stdout)).every((s) => s.cached));
    const pruned = await d.docker(['builder', 'prune', '-f']);
    assert.equal(pruned.code, 0, pruned.stderr);
    const again = await build(['-t', 'app', '--build-arg', 'GREETING=hi', ctx]);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.deepEqual(
      buildSteps(again.stdout).filter((s) => s.cached),
      [],
    );
    assert.equal(
      await d.ok(['run', '--rm', '--network', 'none', 'app']),
      'hi world\nsecond version, longer\nbuilt by berth',
    );
  });

  test('berth build sends the context, shows the steps, and -q prints only the ID', async () => {
    const c = await writeContext({
      Dockerfile: 'FROM busybox\nARG V\nENV V=$V\nCMD ["sh", "-c", "echo $V"]\n',
      '.dockerignore': 'big\n',
      big: 'x'.repeat(1000),
    });
    const r = await d.berth(['build', '-t', 'via-berth', '--build-arg', 'V=berth', c]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Step 3\/4 : ENV V=\$V/);
    assert.equal(await d.ok(['run', '--rm', 'via-berth']), 'berth');
    const q = await d.berth(['build', '-q', '--build-arg', 'V=berth', c]);
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
  });
});
