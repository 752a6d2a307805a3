import type { Readable } from 'node:stream';
import type { CreateRequest, WaitCondition } from '../container/index.js';
import { CONTAINER_LIST_FILTERS, type Engine } from '../engine/index.js';
import type { AttachedStdin, LogEntry } from '../runtime/index.js';
import { DEFAULT_DETACH_KEYS, DetachKeyWatcher, invalidArgument, parseDetachKeys } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import type { ContainerDefaults } from '../image/index.js';
import { empty, hijack, json, jsonLines, noContent, binary } from './replies.js';
import { route, type Route } from './router.js';
import { encodeFrame, StdStream, type JsonMessage } from './streams.js';
import { hijackContentType, type HijackedConnection } from './hijack.js';
import type { RequestContext } from './context.js';

type CreateBody = Api.ContainerConfig & {
  HostConfig?: Api.HostConfig;
  NetworkingConfig?: Api.NetworkingConfig;
  /** API < 1.44's place for `--mac-address` (see withLegacyMac). */
  MacAddress?: string;
};

const WAIT_CONDITIONS: readonly WaitCondition[] = ['not-running', 'next-exit', 'removed'];

/** Docker's `since`/`until` for logs: Unix seconds, possibly fractional. */
function secondsParam(value: string | undefined): bigint | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (!m) throw invalidArgument(`invalid value for since/until: ${value}`);
  return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** Log entries as the API sends them: 8-byte frames without a TTY, raw bytes with one. */
async function* framed(entries: AsyncIterable<LogEntry>, tty: boolean, timestamps: boolean): AsyncIterable<Buffer> {
  for await (const e of entries) {
    const line = timestamps ? Buffer.concat([Buffer.from(`${rfc3339Nano(e.timeNs)} `), e.line]) : e.line;
    yield tty ? line : encodeFrame(e.stream === 'stderr' ? StdStream.stderr : StdStream.stdout, line);
  }
}

function rfc3339Nano(ns: bigint): string {
  const iso = new Date(Number(ns / 1_000_000n)).toISOString();
  return `${iso.slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

function outputOptions(ctx: RequestContext) {
  return {
    stdout: ctx.query.bool('stdout'),
    stderr: ctx.query.bool('stderr'),
    signal: ctx.signal,
  };
}

function requiredPath(ctx: RequestContext): string {
  const path = ctx.query.string('path');
  if (!path) throw invalidArgument('path is required');
  return path;
}

/** `X-Docker-Container-Path-Stat`: the stat as base64 JSON. */
function encodeStat(stat: object): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

/**
 * Copies the client's input to the container's stdin once it runs. Input
 * sent before the start waits in the connection. As in Docker, the end of
 * the client's input closes the container's stdin when it was opened for one
 * attachment without a terminal (StdinOnce); otherwise it ends the attachment
 * (`detach`), as do the detach keys on a terminal, and the container runs on.
 */
async function forwardStdin(
  containers: Engine['containers'],
  c: { id: string; tty: boolean; stdinOnce: boolean },
  conn: HijackedConnection,
  detach: { keys: Buffer | undefined; onDetach: () => void },
): Promise<AttachedStdin | undefined> {
  const attached = await containers.attachInput(c.id, conn.signal).catch(() => undefined);
  if (attached === undefined) return undefined;
  // A container that exits mid-write makes the socket fail; output ends on its own then.
  attached.stdin.on('error', () => attached.close());
  let input: Readable = conn.input;
  if (detach.keys !== undefined) {
    const watcher = new DetachKeyWatcher(detach.keys);
    watcher.once('detach', () => {
      conn.input.unpipe(watcher);
      detach.onDetach();
    });
    input = conn.input.pipe(watcher);
  }
  input.pipe(attached.stdin);
  if (!c.stdinOnce || c.tty) input.once('end', detach.onDetach);
  return attached;
}

/**
 * Clients of API < 1.44 send `--mac-address` as `Config.MacAddress`; it
 * belongs to the endpoint of the container's network mode, where newer
 * clients put it (as dockerd moves it).
 */
function withLegacyMac(
  networking: Api.NetworkingConfig | undefined,
  mac: string | undefined,
  mode: string | undefined,
): { networkingConfig?: Api.NetworkingConfig } {
  if (!mac) return networking ? { networkingConfig: networking } : {};
  const key = mode || 'default';
  const endpoints = networking?.EndpointsConfig ?? {};
  if (endpoints[key]?.MacAddress) return { networkingConfig: networking ?? {} };
  return {
    networkingConfig: {
      ...networking,
      EndpointsConfig: { ...endpoints, [key]: { ...endpoints[key], MacAddress: mac } },
    },
  };
}

/** The `/containers` endpoints: adapters from HTTP to the container service. */
export function containerRoutes(engine: Engine): Route[] {
  const { containers } = engine;
  return [
    route('POST', '/containers/create', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as CreateBody;
      if (!body.Image) throw invalidArgument('config cannot be empty in order to create a container');
      const { HostConfig, NetworkingConfig, MacAddress, ...config } = body;
      const req: CreateRequest = {
        name: ctx.query.string('name') || undefined,
        image: body.Image,
        config,
        hostConfig: HostConfig ?? {},
        ...withLegacyMac(NetworkingConfig, MacAddress, HostConfig?.NetworkMode),
        ...(config.StopTimeout != null ? { stopTimeout: config.StopTimeout } : {}),
      };
      return json(201, await containers.create(req));
    }),
    route('GET', '/containers/json', (ctx) => {
      const filters = Object.fromEntries(ctx.query.filters(CONTAINER_LIST_FILTERS).toMap());
      let list = containers.list({ all: ctx.query.bool('all'), filters });
      const limit = ctx.query.int('limit');
      if (limit !== undefined && limit > 0) list = list.slice(0, limit);
      return json(200, containers.summaries(list));
    }),
    route('GET', '/containers/{id}/json', (ctx) => json(200, containers.inspect(ctx.params.id))),
    route('POST', '/containers/{id}/start', async (ctx) =>
      (await containers.start(ctx.params.id)) === 'already' ? empty(304) : noContent(),
    ),
    route('POST', '/containers/{id}/stop', async (ctx) => {
      const t = ctx.query.int('t') ?? ctx.query.int('timeout');
      const stopped = await containers.stop(ctx.params.id, {
        signal: ctx.query.string('signal') || undefined,
        timeout: t,
      });
      return stopped ? noContent() : empty(304);
    }),
    route('POST', '/containers/{id}/kill', async (ctx) => {
      await containers.kill(ctx.params.id, ctx.query.string('signal') || 'SIGKILL');
      return noContent();
    }),
    route('POST', '/containers/{id}/restart', async (ctx) => {
      const t = ctx.query.int('t') ?? ctx.query.int('timeout');
      await containers.restart(ctx.params.id, { signal: ctx.query.string('signal') || undefined, timeout: t });
      return noContent();
    }),
    route('POST', '/containers/{id}/pause', async (ctx) => {
      await containers.pause(ctx.params.id);
      return noContent();
    }),
    route('POST', '/containers/{id}/unpause', async (ctx) => {
      await containers.unpause(ctx.params.id);
      return noContent();
    }),
    route('POST', '/containers/{id}/rename', (ctx) => {
      const name = ctx.query.string('name');
      if (!name) throw invalidArgument('name is required');
      containers.rename(ctx.params.id, name);
      return noContent();
    }),
    route('POST', '/containers/prune', async () => json(200, await containers.prune())),
    route('HEAD', '/containers/{id}/archive', async (ctx) => {
      const stat = await containers.statPath(ctx.params.id, requiredPath(ctx));
      return empty(200, { 'X-Docker-Container-Path-Stat': encodeStat(stat) });
    }),
    route('GET', '/containers/{id}/archive', async (ctx) => {
      const { stat, tar } = await containers.archive(ctx.params.id, requiredPath(ctx));
      return binary('application/x-tar', tar, { headers: { 'X-Docker-Container-Path-Stat': encodeStat(stat) } });
    }),
    route('PUT', '/containers/{id}/archive', async (ctx) => {
      await containers.putArchive(ctx.params.id, requiredPath(ctx), ctx.body, ctx.signal);
      return empty(200);
    }),
    route('GET', '/containers/{id}/export', async (ctx) =>
      binary('application/x-tar', await containers.export(ctx.params.id)),
    ),
    route('DELETE', '/containers/{id}', async (ctx) => {
      await containers.remove(ctx.params.id, { force: ctx.query.bool('force'), volumes: ctx.query.bool('v') });
      return noContent();
    }),
    // `size=1` is berth's addition for `berth diff --size`; Docker clients never send it.
    route('GET', '/containers/{id}/changes', async (ctx) => {
      const changes = await engine.containerChanges(ctx.params.id);
      return json(200, ctx.query.bool('size') ? changes : changes.map(({ Path, Kind }) => ({ Path, Kind })));
    }),
    route('POST', '/commit', async (ctx) => {
      const container = ctx.query.string('container');
      if (!container) throw invalidArgument('container name or ID is required');
      const body = (await ctx.readJson()) as ContainerDefaults | undefined;
      const id = await engine.commit(container, {
        repo: ctx.query.string('repo') || undefined,
        tag: ctx.query.string('tag') || undefined,
        author: ctx.query.string('author') || undefined,
        comment: ctx.query.string('comment') || undefined,
        changes: ctx.query.strings('changes'),
        ...(body ? { config: body } : {}),
      });
      return json(201, { Id: id });
    }),
    route('POST', '/containers/{id}/wait', (ctx) => {
      const condition = (ctx.query.string('condition') || 'not-running') as WaitCondition;
      if (!WAIT_CONDITIONS.includes(condition)) throw invalidArgument(`invalid condition: "${condition}"`);
      const result = containers.wait(ctx.params.id, condition, ctx.signal);
      // Docker answers the status line at once and the body when the container stops.
      return jsonLines(async (out) => out.write((await result) as JsonMessage), { flushHeaders: true });
    }),
    route('GET', '/containers/{id}/logs', (ctx) => {
      const c = containers.get(ctx.params.id);
      const opts = outputOptions(ctx);
      if (!opts.stdout && !opts.stderr) throw invalidArgument('You must choose at least one stream');
      const tail = ctx.query.string('tail');
      const entries = containers.output(c.id, {
        ...opts,
        follow: ctx.query.bool('follow'),
        tail: tail === undefined || tail === 'all' ? undefined : Number(tail),
        sinceNs: secondsParam(ctx.query.string('since')),
        untilNs: secondsParam(ctx.query.string('until')),
      });
      const tty = c.spec.config.Tty === true;
      return binary(hijackContentType(!tty, ctx.apiVersion), framed(entries, tty, ctx.query.bool('timestamps')), {
        flushHeaders: true,
      });
    }),
    route('POST', '/containers/{id}/attach', (ctx) => {
      const c = containers.get(ctx.params.id);
      const tty = c.spec.config.Tty === true;
      const started = c.state.status !== 'created';
      // Docker ignores stdin=1 for a container created without OpenStdin.
      const withStdin = ctx.query.bool('stdin') && c.spec.config.OpenStdin === true;
      // Docker watches for the detach keys only on a terminal; none given means its default.
      const keys = tty ? parseDetachKeys(ctx.query.string('detachKeys') || DEFAULT_DETACH_KEYS) : undefined;
      return hijack({
        multiplexed: !tty,
        run: async (conn) => {
          const detached = new AbortController();
          const signal = AbortSignal.any([conn.signal, detached.signal]);
          const session = { id: c.id, tty, stdinOnce: c.spec.config.StdinOnce === true };
          const detach = { keys, onDetach: () => detached.abort() };
          const input = withStdin ? forwardStdin(containers, session, conn, detach) : undefined;
          try {
            if (!ctx.query.bool('stream')) return;
            // Attached before start (docker run): everything; to a running container: what comes next.
            const entries = containers.output(c.id, {
              ...outputOptions(ctx),
              follow: true,
              signal,
              ...(started ? { sinceNs: BigInt(Date.now()) * 1_000_000n } : {}),
            });
            for await (const chunk of framed(entries, tty, false)) {
              if (!conn.output.write(chunk)) await new Promise((r) => conn.output.once('drain', r));
            }
          } finally {
            (await input)?.close();
          }
        },
      });
    }),
    route('POST', '/containers/{id}/resize', async (ctx) => {
      const h = ctx.query.int('h');
      const w = ctx.query.int('w');
      if (h === undefined || w === undefined) throw invalidArgument('resize requires h and w');
      await containers.resize(ctx.params.id, { height: h, width: w });
      return empty(200);
    }),
  ];
}
