import { Command } from 'commander';
import { BerthError, invalidArgument } from '../../kernel/index.js';
import type { CliContext, InputStream } from '../context.js';
import { configPath, loadCredentials, registryKey, storeCredentials, type AuthConfig } from '../docker-config.js';

interface LoginFlags {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
}

/** `login`: checks credentials through the daemon, then keeps them in config.json as docker does. */
export function loginCommand(ctx: CliContext): Command {
  return new Command('login')
    .description('Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.')
    .usage('[OPTIONS] [SERVER]')
    .argument('[server]')
    .option('-u, --username <string>', 'Username')
    .option('-p, --password <string>', 'Password or Personal Access Token (PAT)')
    .option('--password-stdin', 'Take the Password or Personal Access Token (PAT) from stdin')
    .action(async (server: string | undefined, flags: LoginFlags) => {
      const key = registryKey(server);
      const auth = await credentialsToTry(ctx, key, flags);
      const answer = await ctx.client().json<{ Status?: string; IdentityToken?: string }>('POST', '/auth', {
        json: { ...auth, serveraddress: key },
      });
      const stored: AuthConfig = answer.IdentityToken
        ? { username: auth.username, identitytoken: answer.IdentityToken }
        : { username: auth.username, password: auth.password };
      if (!auth.identitytoken || answer.IdentityToken) await storeCredentials(ctx.io.env, key, stored);
      ctx.err(`WARNING! Your credentials are stored unencrypted in '${configPath(ctx.io.env)}'.\n`);
      ctx.out(`${answer.Status ?? 'Login Succeeded'}\n`);
    });
}

/** The flags' credentials, the stored ones when no flag is given, or what the user types. */
async function credentialsToTry(ctx: CliContext, key: string, flags: LoginFlags): Promise<AuthConfig> {
  if (flags.password !== undefined && flags.passwordStdin) {
    throw invalidArgument('--password and --password-stdin are mutually exclusive');
  }
  let { username, password } = flags;
  if (flags.passwordStdin) {
    if (!username) throw invalidArgument('Must provide --username with --password-stdin');
    password = (await readAll(ctx.io.stdin)).replace(/\r?\n$/, '');
  } else if (password !== undefined) {
    ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  }
  if (username === undefined && password === undefined) {
    const stored = await loadCredentials(ctx.io.env, key);
    if (stored && (stored.password || stored.identitytoken)) {
      ctx.out('Authenticating with existing credentials...\n');
      return stored;
    }
  }
  username ??= (await ctx.prompt('Username: '))?.trim();
  if (!username) throw invalidArgument('Username is required');
  password ??= await promptSecret(ctx, 'Password: ');
  if (!password) throw invalidArgument('Password is required');
  return { username, password };
}

async function readAll(stream: InputStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Reads a line without echoing it when stdin is a terminal. */
async function promptSecret(ctx: CliContext, message: string): Promise<string | undefined> {
  const stdin = ctx.io.stdin as InputStream & { setRawMode?: (on: boolean) => void };
  if (!stdin.isTTY || !stdin.setRawMode) return ctx.prompt(message);
  ctx.out(message);
  stdin.setRawMode(true);
  try {
    let line = '';
    for await (const chunk of stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\u0003') throw new BerthError('canceled', 'login canceled');
        if (ch === '\r' || ch === '\n') return line;
        line = ch === '\u007f' ? line.slice(0, -1) : line + ch;
      }
    }
    return line;
  } finally {
    stdin.setRawMode(false);
    ctx.out('\n');
  }
}
