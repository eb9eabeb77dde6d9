import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The repository root and the CLI entry point, found from this file. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../../cli/bin/airsuite.js', import.meta.url));

export interface CliProcess {
  /** Where the server listens, as it printed it. */
  url: string;
  pid: number;
  /** What the process wrote to stderr (its logs), for failure messages. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

/**
 * Runs `airsuite <command> --port 0 …flags` as its own process, as an operator would, and
 * resolves once it prints `listening on URL`.
 */
export async function spawnCli(
  command: string,
  flags: string[],
  startTimeoutMs = 20_000,
): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, command, '--port', '0', ...flags], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`airsuite ${command} did not start within ${startTimeoutMs} ms: ${stderr}`)),
        startTimeoutMs,
      );
      const onData = () => {
        const match = /listening on (\S+)/.exec(stdout);
        if (!match) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1] as string);
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`airsuite ${command} exited (${code ?? signal}) before listening: ${stderr}`));
      });
    });
    return { url, pid: child.pid as number, stderr: () => stderr, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** `airsuite gateway` in its own process (e.g. `['--upstream', url, '--redis', redisUrl]`). */
export function spawnGateway(flags: string[]): Promise<CliProcess> {
  return spawnCli('gateway', flags);
}
