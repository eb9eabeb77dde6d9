import { type Launcher, launcherFor } from './launcher.ts';

/** The CLI's contact with the outside world, injected so commands are testable. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
  waitForShutdown(): Promise<void>;
  fetch: typeof fetch;
  writeFile(path: string, text: string): Promise<void>;
  /** How an MCP client starts this same airsuite (the printed Claude Desktop config). */
  launcher: Launcher;
}

export function processIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    waitForShutdown: () =>
      new Promise((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    fetch: (...args) => fetch(...args),
    writeFile: async (path, text) => {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(path, text);
    },
    launcher: launcherFor(process.argv[1] ?? '', process.execPath),
  };
}
