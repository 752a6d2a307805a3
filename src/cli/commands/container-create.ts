import { readFile } from 'node:fs/promises';
import { BerthError, errorMessage, isBerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { familiarName, parseReference } from '../names.js';
import { createBody, type CreateBody, type RunFlags } from '../run-config.js';
import type { Api } from '../../spec/index.js';
import { showProgress } from './shared.js';

/** `--env-file` and `--security-opt seccomp=FILE` name local files; their contents go to the daemon. */
async function readLocal(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e: unknown) {
    throw new BerthError('invalid-argument', `open ${file}: ${errorMessage(e)}`, { cause: e });
  }
}

async function securityOpts(opts: readonly string[]): Promise<string[]> {
  return Promise.all(
    opts.map(async (opt) => {
      const m = /^seccomp[=:](.*)$/.exec(opt);
      if (!m || m[1] === 'unconfined' || m[1] === undefined) return opt;
      const profile = JSON.parse(await readLocal(m[1])) as unknown;
      return `seccomp=${JSON.stringify(profile)}`;
    }),
  );
}

/** The docker CLI's request body for these flags, with local files read. */
export async function buildCreateBody(
  ctx: CliContext,
  image: string,
  command: readonly string[],
  flags: RunFlags,
): Promise<CreateBody> {
  const envFiles = await Promise.all((flags.envFile ?? []).map(readLocal));
  const body = createBody(image, command, flags, { envFiles, lookupEnv: (name) => ctx.io.env[name] });
  if (flags.securityOpt) body.HostConfig.SecurityOpt = await securityOpts(flags.securityOpt);
  return body;
}

/** `busybox` → `busybox:latest`, as docker names the image it could not find. */
function taggedName(image: string): { display: string; fromImage: string; tag: string | undefined } {
  const ref = parseReference(image);
  if (!ref) return { display: image, fromImage: image, tag: undefined };
  if (ref.digest !== undefined) return { display: image, fromImage: `${ref.name}@${ref.digest}`, tag: undefined };
  const tag = ref.tag ?? 'latest';
  return { display: `${familiarName(ref.name)}:${tag}`, fromImage: ref.name, tag };
}

/** Pulls like `docker run` does when the image is missing: progress on stderr. */
async function pullImage(ctx: CliContext, image: string): Promise<void> {
  const { display, fromImage, tag } = taggedName(image);
  ctx.err(`Unable to find image '${display}' locally\n`);
  const res = await ctx.client().request('POST', '/images/create', { query: { fromImage, tag } });
  const onStderr = { ...ctx, out: ctx.err, io: { ...ctx.io, stdout: ctx.io.stderr } };
  await showProgress(onStderr, res);
}

/** Creates the container, pulling a missing image first; returns its ID. */
export async function createContainer(ctx: CliContext, body: CreateBody, name: string | undefined): Promise<string> {
  const create = (): Promise<Api.ContainerCreateResponse> =>
    ctx.client().json<Api.ContainerCreateResponse>('POST', '/containers/create', { query: { name }, json: body });
  let created: Api.ContainerCreateResponse;
  try {
    created = await create();
  } catch (e: unknown) {
    if (!isBerthError(e, 'not-found') || body.Image === undefined) throw e;
    await pullImage(ctx, body.Image);
    created = await create();
  }
  for (const warning of created.Warnings ?? []) ctx.err(`WARNING: ${warning}\n`);
  return created.Id;
}
