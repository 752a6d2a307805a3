/**
 * Incremental reading of a k8s-file log that conmon may still be appending
 * to, or may rotate (with `--log-size-max` conmon renames a fresh file over
 * the old path, so the path's inode changes).
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { isErrno } from '../kernel/index.js';
import { parseLogRecord, type LogRecord } from './logs-format.js';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface LogFile {
  /** The complete records appended since the last call (a record is complete at its newline). */
  readNew(): Promise<LogRecord[]>;
  close(): Promise<void>;
}

/** Opens the log; a log that does not exist yet reads as empty until conmon creates it. */
export function openLogFile(path: string): LogFile {
  let handle: FileHandle | undefined;
  let ino = -1;
  let position = 0;
  let rest = Buffer.alloc(0);

  const reopenIfReplaced = async (): Promise<void> => {
    let st;
    try {
      st = await stat(path);
    } catch (e: unknown) {
      if (isErrno(e, 'ENOENT')) return;
      throw e;
    }
    if (handle !== undefined && st.ino === ino && st.size >= position) return;
    await handle?.close();
    handle = await open(path, 'r');
    ino = (await handle.stat()).ino;
    position = 0;
    rest = Buffer.alloc(0);
  };

  const readToEnd = async (): Promise<Buffer[]> => {
    const chunks: Buffer[] = [];
    if (handle === undefined) return chunks;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buf, 0, CHUNK, position);
      if (bytesRead === 0) return chunks;
      position += bytesRead;
      chunks.push(buf.subarray(0, bytesRead));
    }
  };

  return {
    async readNew() {
      // Finish the current file before looking for a replacement, so no tail is lost.
      const data = Buffer.concat([rest, ...(await readToEnd())]);
      await reopenIfReplaced();
      const more = position === 0 ? await readToEnd() : [];
      const all = more.length > 0 ? Buffer.concat([completeLines(data), ...more]) : data;
      const end = all.lastIndexOf(NEWLINE);
      rest = Buffer.from(all.subarray(end + 1));
      return splitRecords(all.subarray(0, end + 1));
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}

/** The bytes up to and including the last newline (a rotated file's unterminated tail is dropped). */
function completeLines(data: Buffer): Buffer {
  return data.subarray(0, data.lastIndexOf(NEWLINE) + 1);
}

function splitRecords(data: Buffer): LogRecord[] {
  const records: LogRecord[] = [];
  let start = 0;
  while (start < data.length) {
    let nl = data.indexOf(NEWLINE, start);
    if (nl < 0) nl = data.length;
    const record = parseLogRecord(data.subarray(start, nl));
    if (record !== undefined) records.push(record);
    start = nl + 1;
  }
  return records;
}
