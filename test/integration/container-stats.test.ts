import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

describe('docker top, stats and update on berthd (needs root: runc, conmon, cgroups)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);

  test('top lists the container’s processes with ps -ef columns, and refuses a stopped container', async () => {
    await ok(['run', '-d', '--name', 'topped', 'busybox', 'sleep', '1000']);
    const out = await ok(['top', 'topped']);
    const [header, ...rows] = out.split('\n');
    assert.match(header ?? '', /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.equal(rows.length, 1, out);
    assert.match(rows[0] ?? '', /sleep 1000$/);
    await ok(['kill', 'topped']);
    await ok(['wait', 'topped']);
    const stopped = await d.docker(['top', 'topped']);
    assert.notEqual(stopped.code, 0);
    assert.match(stopped.stderr, /is not running/);
  });

  test('stats --no-stream prints a row with the name, CPU %, memory usage and PIDs; the API object counts memory and pids', async () => {
    await ok(['run', '-d', '--name', 'measured', 'busybox', 'sh', '-c', 'sleep 1000 & sleep 1000']);
    const table = await ok(['stats', '--no-stream', 'measured']);
    assert.match(table, /CPU %.*MEM USAGE \/ LIMIT.*PIDS/);
    assert.match(
      table,
      /measured\s+\d+\.\d+%\s+[\d.]+(KiB|MiB) \/ [\d.]+(MiB|GiB)\s+[\d.]+%.*\s2\s*$/m,
      'the background sleep and the shell, exec-ed into the last sleep',
    );
    const r = await d.api('GET', '/containers/measured/stats?stream=false');
    assert.equal(r.status, 200, r.body);
    const stats = JSON.parse(r.body) as {
      name: string;
      memory_stats: { usage: number; limit: number };
      pids_stats: { current: number };
      cpu_stats: { system_cpu_usage: number; online_cpus: number };
      precpu_stats: { system_cpu_usage: number };
    };
    assert.equal(stats.name, '/measured');
    assert.ok(stats.memory_stats.usage > 0, r.body);
    assert.ok(stats.memory_stats.limit > 0, r.body);
    assert.ok(stats.pids_stats.current >= 1, r.body);
    assert.ok(stats.cpu_stats.online_cpus >= 1, r.body);
    assert.ok(stats.cpu_stats.system_cpu_usage > stats.precpu_stats.system_cpu_usage, 'two samples were compared');
    await ok(['rm', '-f', 'measured']);
  });

  test('stats streams one object per second and ends when the container stops', async () => {
    await ok(['run', '-d', '--name', 'streamed', 'busybox', 'sleep', '1000']);
    const lines: string[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const req = request({ socketPath: d.socket, path: '/containers/streamed/stats' }, (res) => {
        assert.equal(res.statusCode, 200);
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          const parts = buffered.split('\n');
          buffered = parts.pop() ?? '';
          lines.push(...parts);
          if (lines.length === 2) void d.docker(['kill', 'streamed']);
        });
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    await ended;
    assert.ok(lines.length >= 2, `got ${lines.length} lines`);
    const [first, second] = lines.map((l) => JSON.parse(l) as { read: string; preread: string });
    assert.equal(second?.preread, first?.read, 'each object carries the previous reading');
    await ok(['rm', '-f', 'streamed']);
  });

  test('update changes the memory limit inside the running container and in inspect, and the restart policy', async () => {
    await ok(['run', '-d', '--name', 'limited', 'busybox', 'sleep', '1000']);
    await ok(['update', '--memory', '64m', '--pids-limit', '50', 'limited']);
    assert.equal(await ok(['exec', 'limited', 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes']), '67108864');
    assert.equal(await ok(['exec', 'limited', 'cat', '/sys/fs/cgroup/pids/pids.max']), '50');
    assert.equal(
      await ok(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}', 'limited']),
      '67108864 50',
    );
    await ok(['update', '--restart', 'always', 'limited']);
    assert.equal(await ok(['inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}', 'limited']), 'always');
    assert.equal(await ok(['inspect', '-f', '{{.HostConfig.Memory}}', 'limited']), '67108864', 'other settings stay');
    const tooSmall = await d.docker(['update', '--memory', '1m', 'limited']);
    assert.notEqual(tooSmall.code, 0);
    assert.match(tooSmall.stderr, /Minimum memory limit allowed is 6MB/);
    await ok(['rm', '-f', 'limited']);
  });
});
