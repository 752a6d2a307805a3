import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { displayJSONMessages, ProgressDisplay, renderProgress, StreamError, type JSONMessage } from './progress.js';

const LAYER = '8e13bc96641a';
const messages: JSONMessage[] = [
  { status: 'Loading layer', id: LAYER, progressDetail: { current: 32768, total: 4261550 } },
  { status: 'Loading layer', id: LAYER, progressDetail: { current: 4261550, total: 4261550 } },
  { status: 'Pulling fs layer', id: 'second', progressDetail: {} },
  { stream: 'Loaded image: busybox:latest\n' },
  { status: 'sha256:abc' },
];

function render(msgs: JSONMessage[], isTTY: boolean, width?: number): string {
  let out = '';
  const display = new ProgressDisplay((s) => (out += s), { isTTY, ...(width && { width }) });
  for (const m of msgs) display.show(m);
  return out;
}

describe('progress without a terminal', () => {
  test('drops progress bars and prints status lines and streams', () => {
    assert.equal(render(messages, false), 'second: Pulling fs layer\nLoaded image: busybox:latest\nsha256:abc\n');
  });

  test('an error message stops the display with its text', () => {
    const display = new ProgressDisplay(() => {}, { isTTY: false });
    assert.throws(
      () => display.show({ errorDetail: { message: 'bad archive' }, error: 'bad archive' }),
      (e: unknown) => e instanceof StreamError && e.message === 'bad archive',
    );
  });

  test('a bare "error" field counts as an error too', () => {
    const display = new ProgressDisplay(() => {}, { isTTY: false });
    assert.throws(() => display.show({ error: 'boom' }), /boom/);
  });

  test('aux payloads go to the callback and are not printed', () => {
    const aux: unknown[] = [];
    let out = '';
    new ProgressDisplay((s) => (out += s), { isTTY: false, onAux: (a) => aux.push(a) }).show({
      aux: { ID: 'sha256:x' },
    });
    assert.deepEqual(aux, [{ ID: 'sha256:x' }]);
    assert.equal(out, '');
  });
});

describe('progress on a terminal', () => {
  test('gives each id a line and rewrites it in place', () => {
    const erase = '\x1b[2K\r';
    const want =
      `\n\x1b[1A${erase}${LAYER}: Loading layer  32.77kB/4.262MB\r\x1b[1B` +
      `\x1b[1A${erase}${LAYER}: Loading layer  4.262MB/4.262MB\r\x1b[1B` +
      `\n\x1b[1A${erase}second: Pulling fs layer \r\x1b[1B` +
      'Loaded image: busybox:latest\n' +
      'sha256:abc\n';
    assert.equal(render(messages, true, 80), want);
  });

  test('moves up past later lines to update an earlier id', () => {
    const out = render(
      [
        { status: 'Downloading', id: 'a', progressDetail: {} },
        { status: 'Downloading', id: 'b', progressDetail: {} },
        { status: 'Done', id: 'a', progressDetail: {} },
      ],
      true,
      80,
    );
    assert.ok(out.endsWith('\x1b[2A\x1b[2K\ra: Done \r\x1b[2B'));
  });
});

describe('renderProgress', () => {
  const now = 1_000_000_000;
  test('draws a 50-column bar when the terminal is wider than 110', () => {
    const got = renderProgress({ current: 50, total: 100 }, 120, now);
    assert.equal(got, `[${'='.repeat(25)}>${' '.repeat(25)}]      50B/100B`);
  });
  test('shows only numbers on narrower terminals', () => {
    assert.equal(renderProgress({ current: 12_345_678, total: 45_600_000 }, 80, now), ' 12.35MB/45.6MB');
  });
  test('shows the estimated time left when a start time is known', () => {
    const start = now / 1000 - 10;
    assert.equal(renderProgress({ current: 25, total: 100, start }, 80, now), '     25B/100B 30s');
  });
  test('drops the total when current overshoots it', () => {
    assert.equal(renderProgress({ current: 200, total: 100 }, 80, now), '    200B');
  });
  test('uses the given units instead of bytes', () => {
    assert.equal(renderProgress({ current: 3, total: 10, units: 'layers' }, 80, now), '3/10 layers');
    assert.equal(renderProgress({ current: 3, units: 'layers' }, 80, now), '3 layers');
  });
  test('hides counts on request and prints nothing without numbers', () => {
    assert.equal(renderProgress({ current: 3, total: 10, hidecounts: true }, 80, now), '');
    assert.equal(renderProgress({}, 200, now), '');
  });
});

describe('displayJSONMessages', () => {
  test('reads a whole stream and rejects on an error message', async () => {
    const source = Readable.from([
      { status: 'Loading layer', id: 'x', progressDetail: {} },
      { errorDetail: { message: 'no space left on device' } },
    ]);
    let out = '';
    await assert.rejects(
      displayJSONMessages(source, (s) => (out += s), { isTTY: false }),
      /no space left on device/,
    );
    assert.equal(out, 'x: Loading layer\n');
  });
});
