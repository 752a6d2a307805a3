import { readFile } from 'node:fs/promises';
import { BerthError, errorMessage, isBerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';
import { familiarName, parseReference } from '../names.js';
import { createBody, type CreateBody, type RunFlags } from '../run-config.js';
import type { Api } from '../../spec/index.js';
import { pullWithProgress } from './pull.js';

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
function displayName(image: string): string {
  const ref = parseReference(image);
  if (!ref || ref.digest !== undefined) return image;
  return `${familiarName(ref.name)}:${ref.tag ?? 'latest'}`;
}

/** Pull progress goes to stderr for run and create, as docker does, so stdout carries only the ID. */
function onStderr(ctx: CliContext): CliContext {
  return { ...ctx, out: ctx.err, io: { ...ctx.io, stdout: ctx.io.stderr } };
}

const PULL_POLICIES = ['missing', 'always', 'never'];

/** Creates the container, pulling the image first as `--pull` says (default: when missing); returns its ID. */
export async function createContainer(
  ctx: CliContext,
  body: CreateBody,
  name: string | undefined,
  pull = 'missing',
): Promise<string> {
  if (!PULL_POLICIES.includes(pull)) {
    throw new BerthError(
      'invalid-argument',
      `invalid pull option: '${pull}': must be one of "always", "missing" or "never"`,
    );
  }
  const create = (): Promise<Api.ContainerCreateResponse> =>
    ctx.client().json<Api.ContainerCreateResponse>('POST', '/containers/create', { query: { name }, json: body });
  if (pull === 'always' && body.Image !== undefined) await pullWithProgress(onStderr(ctx), body.Image);
  let created: Api.ContainerCreateResponse;
  try {
    created = await create();
  } catch (e: unknown) {
    if (pull !== 'missing' || !isBerthError(e, 'not-found') || body.Image === undefined) throw e;
    ctx.err(`Unable to find image '${displayName(body.Image)}' locally\n`);
    await pullWithProgress(onStderr(ctx), body.Image);
    created = await create();
  }
  for (const warning of created.Warnings ?? []) ctx.err(`WARNING: ${warning}\n`);
  return created.Id;
}
