/**
 * runc's error text. berth always runs runc with `--log-format=json`, so its
 * stderr is one JSON object per line ({"level","msg","time"}); the messages
 * at level "error" are what the user should see. Anything that is not such a
 * line (a Go panic, a missing binary) is kept verbatim so nothing is lost.
 */

interface RuncLogLine {
  level?: unknown;
  msg?: unknown;
}

function parseLogLine(line: string): RuncLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The error messages in runc's stderr, joined with "; "; the raw text when it holds none. */
export function runcErrorMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const errors: string[] = [];
  const other: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const parsed = parseLogLine(line);
    if (parsed === undefined) other.push(line);
    else if ((parsed.level === 'error' || parsed.level === 'fatal') && typeof parsed.msg === 'string')
      errors.push(parsed.msg);
  }
  if (errors.length > 0) return errors.join('; ');
  return other.join('\n');
}

/** True when runc says the container is unknown to it (never created, or already deleted). */
export function isRuncNotFound(message: string): boolean {
  return message.includes('container does not exist');
}
