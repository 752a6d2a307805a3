import type { OperationOptions } from '../kernel/index.js';
import { parseChallenges } from './challenge.js';
import { registryEndpoints, loginDomain, type Endpoint, type EndpointPolicy } from './endpoints.js';
import { errorFromResponse, RegistryError } from './errors.js';
import { withEndpoint } from './session.js';
import { basicAuthorization, fetchToken } from './token.js';
import { readErrorBody, type Transport } from './transport.js';
import type { Credentials } from './types.js';

/**
 * `docker login`: GET /v2/ and answer its challenge with the credentials —
 * basic auth directly, or a bearer token fetched with offline access so the
 * token server may issue a refresh token, which becomes the identity token
 * the docker CLI stores instead of the password. A registry that asks for
 * nothing accepts any login, as with Docker.
 */
export async function login(
  transport: Transport,
  policy: EndpointPolicy,
  serverAddress: string,
  credentials: Credentials,
  options: OperationOptions = {},
): Promise<{ identityToken?: string }> {
  const domain = loginDomain(serverAddress);
  // Mirrors serve pulls only; a login is always checked against the registry itself.
  const endpoints = registryEndpoints(domain, { ...policy, mirrors: [] });
  const session = { name: domain, endpoints: () => endpoints, remember: () => undefined };
  return withEndpoint(session, (endpoint) => loginAt(transport, endpoint, credentials, options.signal));
}

async function loginAt(
  transport: Transport,
  endpoint: Endpoint,
  credentials: Credentials,
  signal: AbortSignal | undefined,
): Promise<{ identityToken?: string }> {
  const url = `${endpoint.url}/v2/`;
  const insecureTls = !endpoint.verifyTls;
  const ping = async (authorization?: string) =>
    transport.send({
      method: 'GET',
      url,
      insecureTls,
      signal,
      headers: authorization ? { Authorization: authorization } : {},
    });
  const first = await ping();
  if (first.status === 200) {
    await first.body.dump();
    return {};
  }
  if (first.status !== 401) throw errorFromResponse(first.status, await readErrorBody(first), `Get "${url}"`);
  await first.body.dump();
  const challenges = parseChallenges(first.headers['www-authenticate']);
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  let authorization: string;
  let identityToken: string | undefined;
  if (credentials.registryToken) {
    authorization = `Bearer ${credentials.registryToken}`;
  } else if (bearer?.params.realm) {
    const token = await fetchToken(transport, {
      realm: bearer.params.realm,
      service: bearer.params.service,
      scopes: [],
      credentials,
      offline: true,
      signal,
    });
    authorization = `Bearer ${token.token}`;
    identityToken = token.refreshToken;
  } else if (challenges.some((c) => c.scheme === 'basic') && credentials.username) {
    authorization = basicAuthorization(credentials.username, credentials.password ?? '');
  } else {
    throw new RegistryError(
      'unauthorized',
      `Get "${url}": unauthorized: the registry asks for an authentication berth cannot give`,
    );
  }
  const second = await ping(authorization);
  if (second.status === 401) {
    await second.body.dump();
    // Docker's wording for a refused basic login.
    throw new RegistryError('unauthorized', `login attempt to ${url} failed with status: 401 Unauthorized`, {
      status: 401,
    });
  }
  if (second.status !== 200) throw errorFromResponse(second.status, await readErrorBody(second), `Get "${url}"`);
  await second.body.dump();
  return identityToken ? { identityToken } : {};
}
