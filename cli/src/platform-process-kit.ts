import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/airsuite.js', import.meta.url));

/** `airsuite platform` in a child process of its own, as an operator runs it. */
export interface PlatformProcess {
  /** e.g. http://127.0.0.1:54321 (the API is under /v1). */
  url: string;
  /** Everything it printed (stdout and stderr), line by line. */
  output: string[];
  /** The exit code or signal once it ended; undefined while it runs. */
  exited(): number | string | undefined;
  stop(): Promise<void>;
  /** Ends it with SIGKILL, as a crash or the OOM killer would: no shutdown code runs. */
  kill(): Promise<void>;
}

/**
 * Starts `airsuite platform --port 0` with only `env` (plus PATH and HOME), and resolves once
 * it says where it listens.
 */
export async function spawnPlatform(env: Record<string, string>): Promise<PlatformProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'platform', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let ended: number | string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = code ?? signal ?? 'unknown';
      resolve();
    }),
  );
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      output.push(...lines);
    });
  }
  const stop = async () => {
    if (ended === undefined) child.kill('SIGTERM');
    await exit;
  };
  for (let i = 0; i < 2400; i++) {
    const line = output.find((l) => l.includes('AirSuite platform API on '));
    if (line) {
      const url = (/on (http:\/\/\S+)\/v1/.exec(line)?.[1] ?? '').trim();
      const kill = async () => {
        if (ended === undefined) child.kill('SIGKILL');
        await exit;
      };
      return { url, output, exited: () => ended, stop, kill };
    }
    if (ended !== undefined) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await stop();
  throw new Error(`airsuite platform did not start:\n${output.join('\n')}`);
}
