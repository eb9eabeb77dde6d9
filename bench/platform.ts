import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = 8;
const CONNECTIONS = 32;

interface Target {
  url: string;
  workspaceId: string;
  apiKey: string;
  accessToken: string;
  database: string;
}

async function load(name: string, options: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  const ok = result['2xx'];
  const total = ok + result.non2xx + result.errors + result.timeouts;
  return {
    name,
    connections: options.connections ?? CONNECTIONS,
    requestsPerSecond: Math.round(ok / DURATION_S),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    okShare: total === 0 ? 0 : Math.round((ok / total) * 1000) / 1000,
  };
}

/**
 * Authenticated requests per second against the platform API in another process: a read
 * endpoint with an API key and with an access token, and a tool call over the emulator.
 */
export async function benchPlatform() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'platform-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const target = JSON.parse(line) as Target;
    const read = `${target.url}/v1/workspaces/${target.workspaceId}`;
    // Warm the caches (JIT, credential cache, pools) before measuring.
    await autocannon({
      url: read,
      connections: 8,
      duration: 2,
      headers: { authorization: `Bearer ${target.apiKey}` },
    });
    const results = [
      await load('read_with_api_key', { url: read, headers: { authorization: `Bearer ${target.apiKey}` } }),
      await load('read_with_access_token', {
        url: read,
        headers: { authorization: `Bearer ${target.accessToken}` },
      }),
      // Tool calls on one base queue one at a time in the gateway (by design: Airtable allows
      // 5/s per base), so a few connections show the latency; more only lengthen the queue.
      await load('tool_call_list_records', {
        connections: 4,
        url: `${target.url}/v1/workspaces/${target.workspaceId}/tools/list_records`,
        method: 'POST',
        headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ base_id: 'appJRG6RjcS0ZVuqz', table: 'Companies', page_size: 5 }),
      }),
    ];
    const [apiKeyRead] = results;
    return {
      database: target.database,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      results,
      target: { authenticatedReadsPerSecond: 5000, met: (apiKeyRead?.requestsPerSecond ?? 0) >= 5000 },
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
