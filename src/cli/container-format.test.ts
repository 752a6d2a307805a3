import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_HEADERS, containerFormat, containerRow } from './container-format.js';
import { formatRows } from './format.js';
import type { Api } from '../spec/index.js';

const now = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));
const created = now.getTime() / 1000 - 3600 * 2;
const web: Api.ContainerSummary = {
  Id: 'a'.repeat(64),
  Names: ['/web'],
  Image: 'docker.io/library/busybox:latest',
  ImageID: 'sha256:' + 'b'.repeat(64),
  Command: 'sh -c "while true; do date; sleep 1; done"',
  Created: created,
  State: 'running',
  Status: 'Up 2 hours',
  Ports: [{ PrivatePort: 80, PublicPort: 8080, Type: 'tcp', IP: '0.0.0.0' }],
};
const done: Api.ContainerSummary = {
  Id: 'c'.repeat(64),
  Names: ['/job'],
  Image: 'sha256:' + 'b'.repeat(64),
  ImageID: 'sha256:' + 'b'.repeat(64),
  Command: 'true',
  Created: created,
  State: 'exited',
  Status: 'Exited (0) 5 minutes ago',
};

function render(format: string, trunc = true): string {
  const rows = [web, done].map((c) => containerRow(c, { trunc, now }));
  return formatRows(containerFormat(format, { quiet: false, size: false }), rows, CONTAINER_HEADERS);
}

test('ps shows docker’s columns: familiar image names, short image IDs, commands quoted after a cut at 20 characters', () => {
  assert.equal(
    render(''),
    [
      'CONTAINER ID   IMAGE            COMMAND                   CREATED       STATUS                     PORTS                  NAMES',
      'aaaaaaaaaaaa   busybox:latest   "sh -c \\"while true; …"   2 hours ago   Up 2 hours                 0.0.0.0:8080->80/tcp   web',
      'cccccccccccc   bbbbbbbbbbbb     "true"                    2 hours ago   Exited (0) 5 minutes ago                          job',
      '',
    ].join('\n'),
  );
});

test('--no-trunc keeps full IDs, image names and commands', () => {
  const out = render('table {{.ID}}\t{{.Image}}\t{{.Command}}', false);
  assert.match(
    out,
    new RegExp(
      `^${'a'.repeat(64)} +docker.io/library/busybox:latest +"sh -c \\\\"while true; do date; sleep 1; done\\\\""$`,
      'm',
    ),
  );
});

test('-q prints full-width short IDs only, and -s adds the size column', () => {
  assert.equal(containerFormat('', { quiet: true, size: false }), '{{.ID}}');
  assert.match(containerFormat('', { quiet: false, size: true }), /\{\{\.Size\}\}$/);
});
