import { BerthError, type ErrorKind } from '../kernel/index.js';

/**
 * A failure that ends the command with a chosen exit code, as docker's
 * cli.StatusError: `run` uses 125 for its own errors and 126/127 when the
 * command could not be executed. An empty message prints nothing.
 */
export class StatusError extends BerthError {
  constructor(
    readonly exitCode: number,
    message: string,
    options: { kind?: ErrorKind; cause?: unknown } = {},
  ) {
    super(options.kind ?? 'internal', message, { cause: options.cause });
    this.name = 'StatusError';
  }
}
