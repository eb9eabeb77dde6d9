import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Lines typed (or piped) in, read one at a time whenever the chat needs one. */
export interface LineReader {
  /** The next line without its newline; undefined once the input ended or `close()` was called. */
  next(): Promise<string | undefined>;
  /** Stops reading: a pending and every later `next()` resolves undefined. Idempotent. */
  close(): void;
}

/**
 * Reads lines from `input` (process.stdin, or a PassThrough in tests). Lines that arrive
 * before they are asked for are kept in order. No terminal mode: the terminal's own line
 * editing applies, and Ctrl-C stays a signal (see `ChatTerminal.onInterrupt`).
 */
export function createLineReader(input: Readable): LineReader {
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = rl[Symbol.asyncIterator]();
  let closed = false;
  let closing: () => void = () => {};
  const closedSignal = new Promise<undefined>((resolve) => {
    closing = () => resolve(undefined);
  });
  return {
    async next() {
      if (closed) return undefined;
      const result = await Promise.race([lines.next(), closedSignal]);
      if (result === undefined || result.done) return undefined;
      return result.value;
    },
    close() {
      if (closed) return;
      closed = true;
      closing();
      rl.close();
    },
  };
}
