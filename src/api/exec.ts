import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { Engine } from '../engine/index.js';
import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import { hijack, json, noContent } from './replies.js';
import { route, type Route } from './router.js';
import { encodeFrame, StdStream } from './streams.js';

/**
 * Bytes written here go to `out`, each write as one frame of `stream` (or
 * raw with a TTY). Ending it does not end `out`. Once the client is gone,
 * output is discarded so the process never blocks on a full pipe.
 */
function streamWriter(out: Writable, stream: StdStream | undefined): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (out.destroyed || out.writableEnded) return callback();
      if (out.write(stream === undefined ? chunk : encodeFrame(stream, chunk))) return callback();
      const resume = (): void => {
        out.off('drain', resume);
        out.off('close', resume);
        callback();
      };
      out.once('drain', resume);
      out.once('close', resume);
    },
  });
}

/** The `/containers/{id}/exec` and `/exec` endpoints: adapters from HTTP to the exec service. */
export function execRoutes(engine: Engine): Route[] {
  const { execs } = engine;
  return [
    route('POST', '/containers/{id}/exec', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as Api.ContainerExecBody;
      return json(201, execs.create(ctx.params.id, body));
    }),
    route('GET', '/exec/{id}/json', async (ctx) => json(200, await execs.inspect(ctx.params.id))),
    route('POST', '/exec/{id}/start', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as Api.ExecStartBody;
      if (body.Detach === true) {
        await execs.startDetached(ctx.params.id);
        return noContent();
      }
      const tty = execs.tty(ctx.params.id);
      const run = execs.start(ctx.params.id);
      return hijack({
        multiplexed: !tty,
        run: async (conn) => {
          const stdout = streamWriter(conn.output, tty ? undefined : StdStream.stdout);
          const stderr = streamWriter(conn.output, tty ? undefined : StdStream.stderr);
          await run({ stdin: conn.input, stdout, stderr });
          stdout.end();
          stderr.end();
          await Promise.all([finished(stdout), finished(stderr)]);
        },
      });
    }),
    route('POST', '/exec/{id}/resize', (ctx) => {
      const h = ctx.query.int('h');
      const w = ctx.query.int('w');
      if (h === undefined || w === undefined) throw invalidArgument('resize requires h and w');
      execs.resize(ctx.params.id, { height: h, width: w });
      return Promise.resolve(json(200, {}));
    }),
  ];
}
