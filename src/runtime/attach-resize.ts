/**
 * Resizing a container's terminal: conmon reads commands from the bundle's
 * `ctl` FIFO, and "1 <height> <width>" sets the pseudo-terminal's window
 * size (the container then gets SIGWINCH). Without a terminal conmon ignores it.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** conmon's control FIFO in the bundle. */
const CTL_FIFO = 'ctl';
/** conmon's ctl message type for a window resize. */
const RESIZE_MESSAGE = 1;

export interface TerminalSize {
  height: number;
  width: number;
}

/**
 * Writes the resize to `<bundle>/ctl`. Non-blocking, so a FIFO nobody reads
 * (conmon gone) fails with ENXIO instead of hanging; ENOENT when the
 * container never ran.
 */
export async function resizeTerminal(bundle: string, size: TerminalSize): Promise<void> {
  const fifo = await open(join(bundle, CTL_FIFO), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    await fifo.write(`${RESIZE_MESSAGE} ${size.height} ${size.width}\n`);
  } finally {
    await fifo.close();
  }
}
