/**
 * Registry credentials kept the way the docker CLI keeps them, so `berth
 * login` and `docker login` share them: `$DOCKER_CONFIG/config.json`
 * (default `~/.docker/config.json`) with `auths` (base64 `user:password`
 * or an identity token), or a credential helper named by `credHelpers`
 * (per registry) or `credsStore` (for all). Other keys of the file are kept.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { BerthError, isErrno } from '../kernel/index.js';
import { helperErase, helperGet, helperStore, TOKEN_USERNAME } from './credential-helper.js';
import { splitDomain } from './names.js';

/** Docker Hub's key in config.json: the v1 index URL, for history's sake. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** Docker's `AuthConfig`, as sent in `X-Registry-Auth` and to `POST /auth`. */
export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
}

interface AuthEntry {
  auth?: string;
  identitytoken?: string;
}

interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

type Env = Readonly<Record<string, string | undefined>>;

export function configPath(env: Env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** `https://127.0.0.1:5000/v2/` → `127.0.0.1:5000`; Docker Hub's names → its key. */
export function registryKey(server: string | undefined): string {
  if (!server) return DOCKER_HUB_KEY;
  const host = server.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
  if (['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host)) return DOCKER_HUB_KEY;
  return host;
}

/** The registry an image reference lives on, as a config.json key (`busybox` → Docker Hub). */
export function registryKeyOfImage(image: string): string {
  return registryKey(splitDomain(image).domain);
}

async function readConfig(env: Env): Promise<ConfigFile> {
  try {
    return JSON.parse(await readFile(configPath(env), 'utf8')) as ConfigFile;
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return {};
    throw new BerthError('invalid-argument', `reading ${configPath(env)}: ${(e as Error).message}`, { cause: e });
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
async function writeConfig(env: Env, config: ConfigFile): Promise<void> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
  await rename(tmp, path);
}

function helperFor(config: ConfigFile, key: string): string | undefined {
  return config.credHelpers?.[key] ?? config.credsStore ?? undefined;
}

/** Finds an auths entry by exact key, else by host (keys may carry a scheme or path). */
function findEntry(config: ConfigFile, key: string): AuthEntry | undefined {
  const auths = config.auths ?? {};
  return auths[key] ?? Object.entries(auths).find(([k]) => registryKey(k) === key)?.[1];
}

/** The stored credentials for a registry, or undefined (anonymous). */
export async function loadCredentials(env: Env, server: string | undefined): Promise<AuthConfig | undefined> {
  const key = registryKey(server);
  const config = await readConfig(env);
  const helper = helperFor(config, key);
  if (helper) {
    const found = await helperGet(env, helper, key);
    if (!found) return undefined;
    return found.Username === TOKEN_USERNAME
      ? { identitytoken: found.Secret, serveraddress: key }
      : { username: found.Username, password: found.Secret, serveraddress: key };
  }
  const entry = findEntry(config, key);
  if (!entry) return undefined;
  const out: AuthConfig = { serveraddress: key };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) [out.username, out.password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  if (entry.identitytoken) out.identitytoken = entry.identitytoken;
  return out;
}

/** Saves credentials after a login; an identity token replaces the password, as Docker does. */
export async function storeCredentials(env: Env, server: string | undefined, auth: AuthConfig): Promise<void> {
  const key = registryKey(server);
  const config = await readConfig(env);
  const helper = helperFor(config, key);
  if (helper) {
    const token = auth.identitytoken;
    const Secret = token ?? auth.password ?? '';
    await helperStore(env, helper, {
      ServerURL: key,
      Username: token ? TOKEN_USERNAME : (auth.username ?? ''),
      Secret,
    });
    // The file keeps an empty entry so `docker` lists the registry as logged in.
    config.auths = { ...config.auths, [key]: {} };
  } else {
    const entry: AuthEntry = auth.identitytoken
      ? { auth: Buffer.from(`${auth.username ?? ''}:`).toString('base64'), identitytoken: auth.identitytoken }
      : { auth: Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64') };
    config.auths = { ...config.auths, [key]: entry };
  }
  await writeConfig(env, config);
}

/** Forgets a registry's credentials; false when there were none. */
export async function eraseCredentials(env: Env, server: string | undefined): Promise<boolean> {
  const key = registryKey(server);
  const config = await readConfig(env);
  const helper = helperFor(config, key);
  if (helper) await helperErase(env, helper, key);
  const auths = config.auths ?? {};
  const keys = Object.keys(auths).filter((k) => k === key || registryKey(k) === key);
  if (keys.length === 0 && !helper) return false;
  for (const k of keys) delete auths[k];
  config.auths = auths;
  await writeConfig(env, config);
  return true;
}

/** `X-Registry-Auth`: base64url of the JSON `AuthConfig`, as the docker CLI encodes it. */
export function encodeRegistryAuth(auth: AuthConfig | undefined): string {
  return Buffer.from(JSON.stringify(auth ?? {})).toString('base64url');
}

/** The `X-Registry-Auth` header for pulling or pushing `image`, from the stored credentials. */
export async function registryAuthHeaders(env: Env, image: string): Promise<Record<string, string>> {
  const auth = await loadCredentials(env, registryKeyOfImage(image));
  return auth ? { 'X-Registry-Auth': encodeRegistryAuth(auth) } : {};
}
