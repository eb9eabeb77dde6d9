import { PassThrough } from 'node:stream';
import type { ChatTerminal } from './terminal.ts';

/** A terminal for tests: lines are typed into a PassThrough, output is recorded, Ctrl-C is a call. */
export function recordingTerminal(options: { isTTY?: boolean } = {}) {
  const input = new PassThrough();
  const listeners = new Set<() => void>();
  let output = '';
  const terminal: ChatTerminal = {
    input: () => input,
    write: (text) => {
      output += text;
    },
    isTTY: options.isTTY ?? false,
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    terminal,
    output: () => output,
    /** Types lines (each followed by Enter). */
    type: (...lines: string[]) => {
      for (const line of lines) input.write(`${line}\n`);
    },
    /** Ctrl-D: the end of input. */
    end: () => input.end(),
    interrupt: () => {
      for (const listener of listeners) listener();
    },
  };
}
