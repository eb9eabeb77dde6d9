import type { CliIo } from './io.ts';

/** A CliIo that records output and stops when the test says so. */
export function recordingIo(overrides: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    waitForShutdown: () => stopped,
    fetch: (...args) => fetch(...args),
    writeFile: async () => {},
    launcher: { command: '/usr/local/bin/airsuite', args: [] },
    ...overrides,
  };
  return { io, out, err, stop };
}
