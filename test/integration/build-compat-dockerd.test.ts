import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeContext } from '../support/build-context.js';
import { dockerdSkipReason, succeeded as ok, useBerthAndDockerd } from '../support/dockerd.js';
import { busyboxRootfs } from '../support/images.js';

/** Every instruction that shapes the config, and RUN/COPY/WORKDIR steps with and without changes. */
const DOCKERFILE = `FROM bb
ARG VERSION=1.0
ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH
LABEL org.opencontainers.image.version=$VERSION maintainer="the team"
MAINTAINER someone@example.com
WORKDIR /tmp
WORKDIR $APP_HOME
COPY app.sh bin/
RUN chmod +x /srv/app/bin/app.sh && mkdir -p /data
RUN true
EXPOSE 8080 9000-9001/udp
VOLUME ["/data", "/cache"]
USER 1000
HEALTHCHECK --interval=30s --timeout=3s --retries=2 CMD ["app.sh", "health"]
STOPSIGNAL SIGTERM
SHELL ["/bin/sh", "-ec"]
ONBUILD RUN echo child
ENTRYPOINT ["app.sh"]
CMD ["serve"]
`;

const FIELDS = [
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'ExposedPorts',
  'Volumes',
  'Labels',
  'Healthcheck',
  'StopSignal',
  'Shell',
  'OnBuild',
];

describe(
  'built images match what dockerd 20.10 classic builder makes (needs root)',
  { skip: dockerdSkipReason() },
  () => {
    const engines = useBerthAndDockerd();

    test('config fields, layer count and history agree for the same Dockerfile', async () => {
      const rootfs = await busyboxRootfs();
      const ctx = await writeContext({ Dockerfile: DOCKERFILE, 'app.sh': '#!/bin/sh\necho "$@"\n' });
      const { berth, dockerd } = engines;
      const clis = [berth, dockerd].map((e) => (args: string[], o?: { input?: Buffer }) => e.docker(args, o));
      for (const docker of clis) {
        await ok(docker(['import', '-c', 'CMD ["sh"]', '-', 'bb'], { input: rootfs }));
        await ok(docker(['build', '-t', 'built', ctx]));
      }
      const [ours, theirs] = await Promise.all(
        clis.map(async (docker) => ({
          config: JSON.parse(await ok(docker(['image', 'inspect', '-f', '{{json .Config}}', 'built']))) as Record<
            string,
            unknown
          >,
          layers: Number(await ok(docker(['image', 'inspect', '-f', '{{len .RootFS.Layers}}', 'built']))),
          history: (await ok(docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'built'])))
            .split('\n')
            // Docker hashes COPY sources with its own tarsum; the text around it must agree.
            // (Sizes are left out: Docker counts file bytes, berth tar bytes.)
            .map((l) => l.replace(/(file|dir|multi):[0-9a-f]{64}/, '$1:HASH')),
        })),
      );
      for (const field of FIELDS) assert.deepEqual(ours!.config[field] ?? null, theirs!.config[field] ?? null, field);
      assert.equal(ours!.layers, theirs!.layers, 'number of layers');
      assert.deepEqual(ours!.history, theirs!.history);
    });
  },
);
