import type { Readable } from 'node:stream';

/** The terminal the chat talks to; injected so the REPL is testable with a PassThrough. */
export interface ChatTerminal {
  /** Lines typed or piped in; only asked for in interactive mode (a one-shot never reads stdin). */
  input(): Readable;
  /** Raw output: the chat writes its own newlines, so text can stream mid-line. */
  write(text: string): void;
  /** Whether the output is a terminal: colours only then (and never with NO_COLOR). */
  readonly isTTY: boolean;
  /** Calls `listener` on each Ctrl-C (SIGINT); the returned function stops listening. */
  onInterrupt(listener: () => void): () => void;
}

/** process.stdin / process.stdout / SIGINT. */
export function processTerminal(): ChatTerminal {
  return {
    input: () => process.stdin,
    write: (text) => {
      process.stdout.write(text);
    },
    get isTTY() {
      return process.stdout.isTTY === true;
    },
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      return () => {
        process.off('SIGINT', listener);
      };
    },
  };
}
