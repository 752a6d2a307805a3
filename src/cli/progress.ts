/**
 * Renders Docker's JSON-lines progress messages (pull, push, load, import,
 * build) the way the docker CLI does. On a terminal every message with an id
 * and progress owns a line that is rewritten in place (cursor up, erase,
 * rewrite, cursor down); elsewhere progress bars are dropped and only status
 * lines are printed. Any other message ends the in-place group.
 */
import { BerthError } from '../kernel/index.js';
import { goDurationString, humanSize } from './units.js';

export interface JSONProgressDetail {
  current?: number;
  total?: number;
  /** Unix seconds the transfer started, for the time-left estimate. */
  start?: number;
  hidecounts?: boolean;
  units?: string;
}

export interface JSONMessage {
  status?: string;
  id?: string;
  /** Pre-rendered bar from the daemon; the CLI renders its own from progressDetail. */
  progress?: string;
  progressDetail?: JSONProgressDetail | null;
  stream?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string } | null;
  aux?: unknown;
}

export interface ProgressDisplayOptions {
  isTTY: boolean;
  /** Terminal width; bars need more than 110 columns, time left more than 50. */
  width?: number;
  now?: () => number;
  /** Receives `aux` payloads (build image IDs, load results); they are not printed. */
  onAux?: (aux: unknown) => void;
}

/** An `error` message in the stream: the operation failed on the daemon. */
export class StreamError extends BerthError {
  constructor(message: string) {
    super('internal', message);
    this.name = 'StreamError';
  }
}

const ERASE_LINE = '\x1b[2K';
const cursorUp = (n: number): string => (n > 0 ? `\x1b[${n}A` : '');
const cursorDown = (n: number): string => (n > 0 ? `\x1b[${n}B` : '');

/** The text after the status: `[=====>    ]  12.3MB/45.6MB 3s`, or just the numbers. */
export function renderProgress(p: JSONProgressDetail, width: number, nowMs: number): string {
  const current = p.current ?? 0;
  const total = p.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return p.units ? `${current} ${p.units}` : humanSize(current).padStart(8);
  const percentage = Math.min(Math.trunc(Math.trunc((current / total) * 100) / 2), 50);
  const bar = width > 110 ? `[${'='.repeat(percentage)}>${' '.repeat(Math.max(50 - percentage, 0))}] ` : '';
  let numbers = '';
  if (!p.hidecounts) {
    if (p.units) numbers = current > total ? `${current} ${p.units}` : `${current}/${total} ${p.units}`;
    else numbers = humanSize(current).padStart(8) + (current > total ? '' : `/${humanSize(total)}`);
  }
  let timeLeft = '';
  if (width > 50 && current > 0 && (p.start ?? 0) > 0 && percentage < 50) {
    const elapsed = nowMs / 1000 - (p.start as number);
    timeLeft = ' ' + goDurationString(((total - current) * elapsed) / current);
  }
  return bar + numbers + timeLeft;
}

function errorOf(msg: JSONMessage): string | undefined {
  if (msg.errorDetail) return msg.errorDetail.message ?? msg.error ?? '';
  return msg.error;
}

/** Turns messages into terminal text, keeping the per-id line bookkeeping between calls. */
export class ProgressDisplay {
  private lines = new Map<string, number>();
  private readonly width: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: ProgressDisplayOptions,
  ) {
    this.width = options.isTTY && options.width ? options.width : 200;
  }

  /** Shows one message; throws StreamError for an error message. */
  show(msg: JSONMessage): void {
    if (msg.aux !== undefined && msg.aux !== null) {
      this.options.onAux?.(msg.aux);
      return;
    }
    const tty = this.options.isTTY;
    const hasProgress = msg.progressDetail !== undefined && msg.progressDetail !== null;
    let diff = 0;
    if (msg.id && hasProgress) {
      let line = this.lines.get(msg.id);
      if (line === undefined) {
        line = this.lines.size;
        this.lines.set(msg.id, line);
        if (tty) this.write('\n');
      }
      diff = this.lines.size - line;
      if (tty) this.write(cursorUp(diff));
    } else {
      this.lines = new Map();
    }
    const error = errorOf(msg);
    if (error === undefined) this.write(this.render(msg, hasProgress));
    if (msg.id && tty) this.write(cursorDown(diff));
    if (error !== undefined) throw new StreamError(error);
  }

  private render(msg: JSONMessage, hasProgress: boolean): string {
    const tty = this.options.isTTY;
    const detail = msg.progressDetail ?? {};
    let text = '';
    let endl = '';
    if (tty && !msg.stream && hasProgress) {
      endl = '\r';
      text += ERASE_LINE + endl;
    } else if (hasProgress && ((detail.current ?? 0) > 0 || (detail.total ?? 0) > 0)) {
      return '';
    }
    if (msg.id) text += `${msg.id}: `;
    const now = this.options.now?.() ?? Date.now();
    if (hasProgress && tty) text += `${msg.status ?? ''} ${renderProgress(detail, this.width, now)}${endl}`;
    else if (msg.stream) text += msg.stream + endl;
    else text += `${msg.status ?? ''}${endl}\n`;
    return text;
  }
}

/** Displays a whole stream of messages; rejects with StreamError on the first error message. */
export async function displayJSONMessages(
  messages: AsyncIterable<unknown>,
  write: (text: string) => void,
  options: ProgressDisplayOptions,
): Promise<void> {
  const display = new ProgressDisplay(write, options);
  for await (const msg of messages) {
    if (typeof msg === 'object' && msg !== null) display.show(msg);
  }
}
