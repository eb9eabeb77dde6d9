import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';

/**
 * A redis-server of the bench's own, on a port of its own, with nothing saved: benches
 * flush and measure it freely and never touch the shared Redis at 6379.
 */
export interface BenchRedis {
  url: string;
  /** Redis's own CPU so far (user + sys, seconds), from INFO cpu. */
  cpuSeconds(): Promise<number>;
  /** Script calls (EVALSHA, EVAL) Redis has run so far, from INFO commandstats. */
  scriptCalls(): Promise<number>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchRedis(port = 6390 + Math.floor(Math.random() * 100)): Promise<BenchRedis> {
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {}); // refused until the server listens; each try below reports its own
  for (let attempt = 0; ; attempt++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      client.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async cpuSeconds() {
      const info = await client.info('cpu');
      const read = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
      return read('used_cpu_user') + read('used_cpu_sys');
    },
    async scriptCalls() {
      const info = await client.info('commandstats');
      let calls = 0;
      for (const match of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) calls += Number(match[1]);
      return calls;
    },
    async flush() {
      await client.flushall();
    },
    async close() {
      client.disconnect();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
