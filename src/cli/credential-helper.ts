/**
 * The docker-credential-helper protocol: `docker-credential-<name> get|store|erase`,
 * the server URL or a JSON document on stdin, JSON on stdout. Used for
 * `credsStore` and `credHelpers` in config.json, as the docker CLI does.
 */
import { spawn } from 'node:child_process';
import { BerthError } from '../kernel/index.js';

/** What a helper keeps for one server; Username `<token>` marks an identity token. */
export interface HelperCredentials {
  ServerURL: string;
  Username: string;
  Secret: string;
}

/** The user name helpers use for an identity token instead of a password. */
export const TOKEN_USERNAME = '<token>';

/** Helpers answer a lookup miss with this text and a non-zero exit. */
const NOT_FOUND = /credentials not found/i;

/** The environment helpers run in (PATH finds them; they may read HOME and friends). */
export type HelperEnv = Readonly<Record<string, string | undefined>>;

function runHelper(
  env: HelperEnv,
  helper: string,
  action: string,
  input: string,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(`docker-credential-${helper}`, [action], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', (e) =>
      reject(new BerthError('failed-precondition', `credential helper docker-credential-${helper}: ${e.message}`)),
    );
    child.once('close', (code) => resolve({ code: code ?? 1, out: out.trim() }));
    child.stdin.end(input);
  });
}

function helperError(helper: string, action: string, out: string): BerthError {
  return new BerthError('internal', `error ${action} credentials with docker-credential-${helper}: ${out}`);
}

/** Looks the server up; undefined when the helper has nothing for it. */
export async function helperGet(
  env: HelperEnv,
  helper: string,
  serverURL: string,
): Promise<HelperCredentials | undefined> {
  const { code, out } = await runHelper(env, helper, 'get', serverURL);
  if (code !== 0) {
    if (NOT_FOUND.test(out)) return undefined;
    throw helperError(helper, 'getting', out);
  }
  try {
    return JSON.parse(out) as HelperCredentials;
  } catch {
    throw helperError(helper, 'getting', `unreadable answer: ${out}`);
  }
}

export async function helperStore(env: HelperEnv, helper: string, credentials: HelperCredentials): Promise<void> {
  const { code, out } = await runHelper(env, helper, 'store', JSON.stringify(credentials));
  if (code !== 0) throw helperError(helper, 'storing', out);
}

export async function helperErase(env: HelperEnv, helper: string, serverURL: string): Promise<void> {
  const { code, out } = await runHelper(env, helper, 'erase', serverURL);
  if (code !== 0 && !NOT_FOUND.test(out)) throw helperError(helper, 'erasing', out);
}
