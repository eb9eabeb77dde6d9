import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One cold start of a stdio MCP server, as a desktop client sees it. */
export interface StdioProbe {
  /** From spawn to the answer to the first tools/list (initialize, initialized, tools/list). */
  ms: number;
  /** The server's peak resident set (VmHWM) by then, in MiB; NaN where /proc is missing. */
  peakRssMiB: number;
  tools: number;
}

export interface ProbeTarget {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

const peakRssMiB = (pid: number | undefined) => {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Math.round((Number(kib) / 1024) * 10) / 10 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};

/**
 * Spawns `target`, speaks just enough JSON-RPC to list its tools (what Claude Desktop does on
 * launch), reads the peak RSS while the process is still alive, and stops it.
 */
export function probeStdioServer(target: ProbeTarget, timeoutMs = 30_000): Promise<StdioProbe> {
  const started = performance.now();
  const child = spawn(target.command, target.args, {
    env: target.env,
    ...(target.cwd ? { cwd: target.cwd } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<StdioProbe>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(new Error(`no tools/list answer within ${timeoutMs} ms`)), timeoutMs);
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, end)) as { id?: number; result?: { tools?: unknown[] } };
        buffered = buffered.slice(end + 1);
        if (message.id === 1) {
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
        } else if (message.id === 2) {
          const ms = performance.now() - started;
          const probe = { ms, peakRssMiB: peakRssMiB(child.pid), tools: message.result?.tools?.length ?? 0 };
          clearTimeout(timer);
          child.once('exit', () => resolve(probe));
          child.stdin.end();
          child.kill('SIGTERM');
        }
      }
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (code !== null && code !== 0) fail(new Error(`exited with ${code} before answering`));
    });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'airsuite-bench', version: '0' },
      },
    });
  });
}
