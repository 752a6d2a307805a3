import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { send, tlsFiles, type TlsFiles } from './registry-fixtures.js';
import { startTokenServer, type TokenRequest, type TokenServer } from './registry-token.js';

/**
 * The real distribution registry (Debian `docker-registry`) on 127.0.0.1, for
 * pull and push tests. Three ways to run it:
 * - `anonymous`: plain HTTP, no auth;
 * - `htpasswd`: basic auth over TLS with a test CA;
 * - `token`: the bearer-token flow with a small token server (./registry-token.ts).
 */
export type RegistryMode = 'anonymous' | 'htpasswd' | 'token';

export interface RegistryOptions {
  mode?: RegistryMode;
  /** Serve over TLS with a test CA; default true for `htpasswd`, false otherwise. */
  tls?: boolean;
  /** `token` mode: give clients without credentials a pull token (default true). */
  anonymousPull?: boolean;
  /** With TLS: require a client certificate signed by the test CA; certs.d gets `client.cert`/`client.key`. */
  clientCertificates?: boolean;
}

export interface TestRegistry {
  readonly mode: RegistryMode;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** `http://127.0.0.1:<port>` or `https://...` */
  readonly url: string;
  /** The test CA's certificate, when serving TLS. */
  readonly caFile?: string;
  /** A Docker certs.d-style directory holding `<host>/ca.crt`, when serving TLS. */
  readonly certsDir?: string;
  readonly username?: string;
  readonly password?: string;
  /** `token` mode: the token requests seen so far. */
  readonly tokenRequests?: readonly TokenRequest[];
  /** The registry's storage directory. */
  readonly storage: string;
  stop(): Promise<void>;
}

const REGISTRY = '/usr/bin/docker-registry';
const USERNAME = 'berth';
const PASSWORD = 'berth-secret';
const SERVICE = 'berth-test-registry';
const ISSUER = 'berth-test-token-issuer';
const run = promisify(execFile);

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const mode = options.mode ?? 'anonymous';
  const tls = options.tls ?? mode === 'htpasswd';
  const dir = await mkdtemp(join(tmpdir(), 'berth-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const storage = join(dir, 'storage');
  const config: string[] = [
    'version: 0.1',
    'log: { level: error, accesslog: { disabled: true } }',
    `storage: { filesystem: { rootdirectory: ${storage} }, delete: { enabled: true } }`,
    `http: { addr: "${host}", secret: test-secret${tls ? `, tls: { ${tlsConfig(dir, options)} }` : ''} }`,
  ];
  let caFile: string | undefined;
  let certsDir: string | undefined;
  if (tls) {
    caFile = await makeCertificates(dir);
    certsDir = join(dir, 'certs.d');
    await mkdir(join(certsDir, host), { recursive: true });
    await writeFile(join(certsDir, host, 'ca.crt'), await readFile(caFile));
    if (options.clientCertificates) {
      await signedCertificate(dir, 'client', '/CN=berth test client', 'extendedKeyUsage=clientAuth');
      await writeFile(join(certsDir, host, 'client.cert'), await readFile(join(dir, 'client.crt')));
      await writeFile(join(certsDir, host, 'client.key'), await readFile(join(dir, 'client.key')));
    }
  }
  let token: TokenServer | undefined;
  if (mode === 'htpasswd') {
    await run('htpasswd', ['-Bbc', join(dir, 'htpasswd'), USERNAME, PASSWORD]);
    config.push(`auth: { htpasswd: { realm: berth-test, path: ${dir}/htpasswd } }`);
  } else if (mode === 'token') {
    await openssl(
      dir,
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=token-issuer'].concat([
        '-keyout',
        'token.key',
        '-out',
        'token.crt',
      ]),
    );
    token = await startTokenServer({
      keyFile: join(dir, 'token.key'),
      certFile: join(dir, 'token.crt'),
      service: SERVICE,
      issuer: ISSUER,
      username: USERNAME,
      password: PASSWORD,
      anonymousPull: options.anonymousPull ?? true,
    });
    config.push(
      `auth: { token: { realm: "${token.realm}", service: ${SERVICE}, issuer: ${ISSUER}, rootcertbundle: ${dir}/token.crt } }`,
    );
  }
  await writeFile(join(dir, 'config.yml'), config.join('\n') + '\n');
  const child = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const url = `${tls ? 'https' : 'http'}://${host}`;
  const stop = async () => {
    await stopChild(child);
    await token?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(url, await tlsFiles(certsDir, host), child, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  const auth = mode === 'anonymous' ? {} : { username: USERNAME, password: PASSWORD };
  return { mode, host, url, caFile, certsDir, storage, tokenRequests: token?.requests, ...auth, stop };
}

function tlsConfig(dir: string, options: RegistryOptions): string {
  const files = `certificate: ${dir}/server.crt, key: ${dir}/server.key`;
  return options.clientCertificates ? `${files}, clientcas: [${dir}/ca.crt]` : files;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA and a server certificate for 127.0.0.1 and localhost signed by it; returns the CA file. */
async function makeCertificates(dir: string): Promise<string> {
  const ca = [
    'req',
    '-x509',
    ...EC_KEY,
    '-days',
    '2',
    '-subj',
    '/CN=berth test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ];
  await openssl(dir, ca);
  await signedCertificate(dir, 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  return join(dir, 'ca.crt');
}

/** `<name>.key` and `<name>.crt`, signed by the CA in `dir`. */
async function signedCertificate(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  await openssl(dir, ['req', ...EC_KEY, '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  await writeFile(join(dir, `${name}.ext`), `${extensions}\n`);
  await openssl(
    dir,
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ]),
  );
}

/** Polls `/v2/` until the registry answers at all (401 counts): it is listening. */
async function waitForRegistry(url: string, tls: TlsFiles, child: ChildProcess, log: () => string) {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log()}`);
    const answered = await send({ method: 'GET', url: `${url}/v2/`, tls }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`docker-registry: no answer on ${url}/v2/: ${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export { pushImage, pushIndex } from './registry-fixtures.js';
export type { PushedBlob, PushedImage, PushImageOptions } from './registry-fixtures.js';
