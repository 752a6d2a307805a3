import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Api } from '../spec/index.js';
import { diskUsageFromWire, renderDiskUsage } from './disk-usage-format.js';

const image = (Id: string, Size: number, SharedSize: number, Containers: number): Api.ImageSummary => ({
  Id,
  ParentId: '',
  RepoTags: [],
  RepoDigests: [],
  Created: 0,
  Size,
  SharedSize,
  Labels: {},
  Containers,
});
const volume = (Name: string, Size: number, RefCount: number): Api.Volume => ({
  Name,
  Driver: 'local',
  Mountpoint: `/v/${Name}`,
  Labels: {},
  Scope: 'local',
  Options: {},
  UsageData: { Size, RefCount },
});

process.env['TZ'] = 'UTC';

describe('diskUsageFromWire', () => {
  test('takes the totals of an API 1.52+ answer as they are', () => {
    const du = diskUsageFromWire({
      ImageUsage: { ActiveCount: 1, TotalCount: 4, Reclaimable: 10, TotalSize: 100 },
      BuildCacheUsage: { TotalCount: 0 },
    });
    assert.deepEqual(du.images, { activeCount: 1, totalCount: 4, reclaimable: 10, totalSize: 100, items: [] });
    assert.equal(du.volumes.totalCount, 0);
  });

  test('sums an older answer the way docker 28 does', () => {
    const du = diskUsageFromWire({
      LayersSize: 1000,
      Images: [image('a', 600, 100, 1), image('b', 400, 100, 0)],
      Containers: [
        { Id: 'c1', State: 'running', SizeRw: 30 },
        { Id: 'c2', State: 'exited', SizeRw: 70 },
      ],
      Volumes: [volume('v1', 10, 1), volume('v2', 90, 0), volume('v3', -1, 0)],
      BuildCache: [
        { ID: 'b1', InUse: true, Size: 5 },
        { ID: 'b2', Shared: true, Size: 50 },
        { ID: 'b3', Size: 20 },
      ],
    });
    assert.deepEqual([du.images.activeCount, du.images.totalSize, du.images.reclaimable], [1, 1000, 500]);
    assert.deepEqual([du.containers.activeCount, du.containers.totalSize, du.containers.reclaimable], [1, 100, 70]);
    assert.deepEqual([du.volumes.activeCount, du.volumes.totalSize, du.volumes.reclaimable], [1, 100, 90]);
    assert.deepEqual([du.buildCache.activeCount, du.buildCache.totalSize, du.buildCache.reclaimable], [1, 25, 20]);
  });
});

describe('renderDiskUsage', () => {
  const du = diskUsageFromWire({
    ImageUsage: { ActiveCount: 2, TotalCount: 5, Reclaimable: 11_630_000, TotalSize: 16_430_000 },
    ContainerUsage: { ActiveCount: 0, TotalCount: 2, Reclaimable: 0, TotalSize: 0 },
    VolumeUsage: { ActiveCount: 1, TotalCount: 2, Reclaimable: 0, TotalSize: 36 },
    BuildCacheUsage: { ActiveCount: 0, TotalCount: 0, Reclaimable: 0, TotalSize: 0 },
  });

  test('the summary table matches docker system df', () => {
    assert.equal(
      renderDiskUsage(du, { format: '', verbose: false }),
      [
        'TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE',
        'Images          5         2         16.43MB   11.63MB (70%)',
        'Containers      2         0         0B        0B',
        'Local Volumes   2         1         36B       0B (0%)',
        'Build Cache     0         0         0B        0B',
        '',
      ].join('\n'),
    );
  });

  test('the verbose form has one titled table per type', () => {
    const out = renderDiskUsage(du, { format: '', verbose: true });
    assert.match(
      out,
      /^Images space usage:\n\nREPOSITORY {3}TAG {7}IMAGE ID {3}CREATED {3}SIZE {6}SHARED SIZE {3}UNIQUE SIZE {3}CONTAINERS\n/,
    );
    assert.match(
      out,
      /\nBuild cache usage: 0B\n\nCACHE ID {3}CACHE TYPE {3}SIZE {6}CREATED {3}LAST USED {3}USAGE {5}SHARED\n$/,
    );
  });

  test('json prints one object per type', () => {
    const first = renderDiskUsage(du, { format: 'json', verbose: false }).split('\n')[0];
    assert.equal(
      first,
      '{"Active":"2","Reclaimable":"11.63MB (70%)","Size":"16.43MB","TotalCount":"5","Type":"Images"}',
    );
  });
});
