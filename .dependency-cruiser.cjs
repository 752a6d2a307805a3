// The import direction of STYLE.md §2, enforced. A module may import the
// modules listed for it, plus kernel and spec everywhere.
const allowed = {
  kernel: [],
  spec: [],
  reference: [],
  content: [],
  state: [],
  archive: [],
  events: [],
  image: ['content', 'reference', 'archive'],
  snapshot: ['content', 'image', 'archive', 'state'],
  registry: ['content', 'image', 'reference'],
  volume: ['state', 'events'],
  network: ['state', 'events'],
  runtime: ['snapshot'],
  container: ['runtime', 'snapshot', 'image', 'archive', 'volume', 'network', 'state', 'events'],
  build: ['image', 'snapshot', 'runtime', 'content', 'archive', 'registry'],
  engine: [
    'reference',
    'content',
    'state',
    'archive',
    'events',
    'image',
    'snapshot',
    'registry',
    'volume',
    'network',
    'runtime',
    'container',
    'build',
  ],
  api: ['engine'],
  cli: [],
  bin: ['engine', 'api', 'cli'],
};
const modules = Object.keys(allowed);
// Single files outside the table: the CLI packs build contexts honouring
// .dockerignore as docker does, with the daemon's own (pure) matcher.
const extra = { cli: ['^src/build/dockerignore/index\\.ts$'] };

module.exports = {
  forbidden: [
    ...modules.map((from) => ({
      name: `${from}-imports`,
      comment: `${from} may import only: ${['kernel', 'spec', ...allowed[from]].join(', ')}`,
      severity: 'error',
      from: { path: `^src/${from}/` },
      to: {
        path: '^src/([^/]+)/',
        pathNot: [`^src/(${[from, 'kernel', 'spec', ...allowed[from]].join('|')})/`, ...(extra[from] ?? [])],
        dependencyTypesNot: from === 'api' ? ['type-only'] : [],
      },
    })),
    {
      name: 'only-through-index',
      comment: 'other modules are imported through their index.ts only',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/(?!index\\.ts$)', pathNot: ['^src/$1/', '^src/build/dockerignore/index\\.ts$'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
