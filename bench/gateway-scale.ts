/**
 * The gateway at scale, as it is deployed: the emulator (with Airtable's real limits and its
 * 30 s penalty) and each gateway in processes of their own, so the CPU each one spends can
 * be read from /proc, and the bench's own clients do not count.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  distinctListQuery,
  itemsBase,
  type LimitedEmulator,
  startLimitedEmulator,
  TOKEN,
} from '@airsuite/airtable-gateway/acceptance';
import type { BenchRedis } from './bench-redis.ts';
import { quantile } from './stats.ts';

const CLI = fileURLToPath(new URL('../cli/bin/airsuite.js', import.meta.url));

interface CliProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `airsuite gateway --port 0 …flags` in a process of its own, once it listens. */
function spawnGateway(flags: string[]): Promise<CliProcess> {
  // e.g. BENCH_GATEWAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile each gateway.
  const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawnListening([...nodeArgs, CLI, 'gateway', '--port', '0', ...flags]);
}

/** `node …args` in a process of its own, once it prints `listening on URL`. */
async function spawnListening(args: string[]): Promise<CliProcess> {
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before listening`)));
  });
  child.stdout?.resume();
  return {
    url,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const CLOCK_TICKS_PER_S = 100;

/** CPU (user + sys, seconds) a process has used so far. */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

interface Fleet {
  gateways: CliProcess[];
  /** Gateways' CPU and Redis's, in seconds so far. */
  cpuSeconds(): Promise<{ gateways: number; redis: number; scripts: number }>;
  close(): Promise<void>;
}

async function startFleet(emu: LimitedEmulator, processes: number, redis?: BenchRedis): Promise<Fleet> {
  if (redis) await redis.flush();
  const flags = ['--upstream', emu.url, ...(redis ? ['--redis', redis.url] : [])];
  const gateways = await Promise.all(Array.from({ length: processes }, () => spawnGateway(flags)));
  return {
    gateways,
    async cpuSeconds() {
      const own = await Promise.all(gateways.map((g) => processCpuSeconds(g.pid)));
      return {
        gateways: own.reduce((a, b) => a + b, 0),
        redis: redis ? await redis.cpuSeconds() : 0,
        scripts: redis ? await redis.scriptCalls() : 0,
      };
    },
    close: async () => {
      await Promise.all(gateways.map((g) => g.stop()));
    },
  };
}

interface Answer {
  status: number;
  ms: number;
  retryAfterS?: number;
  type?: string;
}

async function call(url: string, token: string): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    const retryAfter = response.headers.get('retry-after');
    let type: string | undefined;
    if (response.status !== 200) {
      try {
        type = (JSON.parse(text) as { error?: { type?: string } }).error?.type;
      } catch {
        type = undefined;
      }
    }
    return {
      status: response.status,
      ms: performance.now() - started,
      ...(retryAfter === null ? {} : { retryAfterS: Number(retryAfter) }),
      ...(type ? { type } : {}),
    };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/** How many answers of each status and error type. */
function countBy(list: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of list) {
    const name = `${a.status} ${a.type ?? ''}`.trim();
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

function latency(samples: number[]) {
  return { p50Ms: round(quantile(samples, 0.5), 1), p99Ms: round(quantile(samples, 0.99), 1) };
}

/**
 * (e) A burst of `requests` at one base, spread round-robin over `processes` gateways (sharing
 * `redis` when more than one): every answer, upstream 429s, and the rate once the opening
 * burst has gone, from the caller's completion times.
 */
export async function sharedBurst(emu: LimitedEmulator, processes: number, redis?: BenchRedis) {
  const requests = 200;
  const [baseId] = (await emu.loadBases([itemsBase(`Shared ${processes}`, 4)])) as [string];
  const fleet = await startFleet(emu, processes, redis);
  try {
    await Promise.all(fleet.gateways.map((g) => call(`${g.url}/v0/meta/whoami`, TOKEN)));
    await sleep(1_100);
    const before = (await emu.stats()).rateLimited;
    const done: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: requests }, async (_, i) => {
        const gateway = fleet.gateways[i % processes] as CliProcess;
        const answer = await call(`${gateway.url}/v0/${baseId}/Items${distinctListQuery(i)}`, TOKEN);
        done.push(performance.now());
        return answer;
      }),
    );
    done.sort((a, b) => a - b);
    const steady = ((done.length - 5) * 1000) / ((done.at(-1) as number) - (done[4] as number));
    return {
      processes,
      requests,
      ok: answers.filter((a) => a.status === 200).length,
      notOk: countBy(answers.filter((a) => a.status !== 200)),
      steadyReqPerS: round(steady),
      percentOfLimit: round((steady / 5) * 100, 1),
      upstream429s: (await emu.stats()).rateLimited - before,
    };
  } finally {
    await fleet.close();
  }
}

/**
 * (f) 10 token owners × 4 bases: a ceiling of 40 × 5 = 200 req/s upstream (each owner's 20
 * stays under its 50). Clients offer 1.5× that, open loop, every URL unique so coalescing
 * hides nothing; `processes` gateways share the work (and Redis when more than one). Share
 * of the ceiling, CPU and latency are read over the steady part of the run.
 */
export async function multiOwner(emu: LimitedEmulator, processes: number, redis?: BenchRedis) {
  const owners = 10;
  const basesPerOwner = 4;
  const ceiling = owners * basesPerOwner * 5;
  const offeredPerS = ceiling * 1.5;
  const runMs = 20_000;
  const warmMs = 4_000;
  const bases = await emu.loadBases(
    Array.from({ length: owners * basesPerOwner }, (_, i) => itemsBase(`Owners ${processes}p ${i}`, 3)),
  );
  const tokens = [TOKEN];
  for (let i = 1; i < owners; i++) {
    const userId = `usr${processes}bench${String(i).padStart(4, '0')}xxxx`.slice(0, 17);
    const grant = await emu.admin<{ token: string }>('/tokens', { body: { userId } });
    tokens.push(grant.token);
  }
  const fleet = await startFleet(emu, processes, redis);
  try {
    // Every process knows every owner before the clock starts.
    await Promise.all(fleet.gateways.flatMap((g) => tokens.map((t) => call(`${g.url}/v0/meta/whoami`, t))));
    await sleep(1_100);
    const rateLimitedBefore = (await emu.stats()).rateLimited;
    const answers: (Answer & { sentAt: number })[] = [];
    const pending: Promise<void>[] = [];
    const started = performance.now();
    let sent = 0;
    let window:
      | { at: number; upstream: number; cpu: { gateways: number; redis: number; scripts: number } }
      | undefined;
    while (performance.now() - started < runMs) {
      const due = Math.floor(((performance.now() - started) / 1000) * offeredPerS);
      for (; sent < due; sent++) {
        const base = sent % bases.length;
        const token = tokens[Math.floor(base / basesPerOwner)] as string;
        const gateway = fleet.gateways[sent % processes] as CliProcess;
        const url = `${gateway.url}/v0/${bases[base]}/Items${distinctListQuery(sent)}`;
        const sentAt = performance.now() - started;
        pending.push(call(url, token).then((a) => void answers.push({ ...a, sentAt })));
      }
      if (!window && performance.now() - started >= warmMs) {
        const [stats, cpu] = await Promise.all([emu.stats(), fleet.cpuSeconds()]);
        window = { at: performance.now(), upstream: stats.requests, cpu };
      }
      await sleep(5);
    }
    const [stats, cpu] = await Promise.all([emu.stats(), fleet.cpuSeconds()]);
    const end = { at: performance.now(), upstream: stats.requests, cpu };
    await Promise.all(pending);
    const from = window as NonNullable<typeof window>;
    const upstream = end.upstream - from.upstream;
    const perRequestMs = (key: 'gateways' | 'redis' | 'scripts') =>
      ((end.cpu[key] - from.cpu[key]) * 1000) / upstream;
    const cpuMs = perRequestMs('gateways') + perRequestMs('redis');
    const upstreamPerS = (upstream * 1000) / (end.at - from.at);
    const steady = answers.filter((a) => a.sentAt >= warmMs && a.sentAt < runMs);
    return {
      processes,
      sharedRedis: redis !== undefined,
      owners,
      bases: bases.length,
      ceilingReqPerS: ceiling,
      offeredReqPerS: offeredPerS,
      sent,
      ok: answers.filter((a) => a.status === 200).length,
      refused: answers.filter((a) => a.status === 429).length,
      refusedCodes: [
        ...new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.type ?? ''}`)),
      ],
      upstreamReqPerS: round(upstreamPerS, 1),
      percentOfCeiling: round((upstreamPerS / ceiling) * 100, 1),
      upstream429s: (await emu.stats()).rateLimited - rateLimitedBefore,
      latency: latency(steady.filter((a) => a.status === 200).map((a) => a.ms)),
      /** Gateway processes plus Redis (INFO cpu), per 1,000 upstream requests. */
      cpuSecondsPer1000Requests: round(cpuMs),
      cpuMsPerRequest: round(cpuMs),
      cpuMsPerRequestGateways: round(perRequestMs('gateways')),
      cpuMsPerRequestRedis: round(perRequestMs('redis')),
      redisScriptCallsPerRequest: round(perRequestMs('scripts') / 1000, 2),
    };
  } finally {
    await fleet.close();
  }
}

/**
 * (f′) The floor under (f): the cheapest possible proxy (bench/passthrough-proxy.js: node:http
 * in and out, nothing else) in `processes` processes, at the rate the gateway reached, in
 * front of an emulator with its limits raised. What Node's HTTP costs per proxied request on
 * this machine, at that many requests per process and second.
 */
export async function passthroughFloor(processes: number, ratePerS = 195) {
  const emu = await startLimitedEmulator({ perBase: 100_000, perOwner: 100_000 });
  const bases = await emu.loadBases(Array.from({ length: 40 }, (_, i) => itemsBase(`Floor ${i}`, 3)));
  const script = fileURLToPath(new URL('./passthrough-proxy.js', import.meta.url));
  const proxies = await Promise.all(
    Array.from({ length: processes }, () => spawnListening([script, emu.url])),
  );
  try {
    const runMs = 12_000;
    const warmMs = 3_000;
    const pending: Promise<Answer>[] = [];
    const started = performance.now();
    let sent = 0;
    let from: { cpu: number; done: number } | undefined;
    let done = 0;
    const cpu = async () =>
      (await Promise.all(proxies.map((p) => processCpuSeconds(p.pid)))).reduce((a, b) => a + b, 0);
    while (performance.now() - started < runMs) {
      const due = Math.floor(((performance.now() - started) / 1000) * ratePerS);
      for (; sent < due; sent++) {
        const proxy = proxies[sent % processes] as CliProcess;
        const url = `${proxy.url}/v0/${bases[sent % bases.length]}/Items${distinctListQuery(sent)}`;
        pending.push(
          call(url, TOKEN).then((a) => {
            done++;
            return a;
          }),
        );
      }
      if (!from && performance.now() - started >= warmMs) from = { cpu: await cpu(), done };
      await sleep(5);
    }
    const end = { cpu: await cpu(), done };
    const answers = await Promise.all(pending);
    const start = from as NonNullable<typeof from>;
    return {
      processes,
      reqPerS: ratePerS,
      ok: answers.filter((a) => a.status === 200).length,
      cpuMsPerRequest: round(((end.cpu - start.cpu) * 1000) / (end.done - start.done)),
    };
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await emu.close();
  }
}

/**
 * (g) 3,000 callers at one base at once through one gateway, with the default 60 s wait
 * limit: at 5/s only about 300 can be served in time. How many are refused at once, how many
 * wait and are served, how many wait the whole limit and are then refused (timed out).
 */
export async function burst3000(emu: LimitedEmulator) {
  const requests = 3_000;
  const maxWaitMs = 60_000;
  const [baseId] = (await emu.loadBases([itemsBase('Burst 3000', 3)])) as [string];
  const fleet = await startFleet(emu, 1);
  const gateway = fleet.gateways[0] as CliProcess;
  try {
    await call(`${gateway.url}/v0/meta/whoami`, TOKEN);
    await sleep(1_100);
    const rateLimitedBefore = (await emu.stats()).rateLimited;
    const answers = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        call(`${gateway.url}/v0/${baseId}/Items${distinctListQuery(i)}`, TOKEN),
      ),
    );
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    // Refused "at once": answered within 2 s; timed out: answered after most of the wait limit.
    const atOnce = refused.filter((a) => a.ms < 2_000);
    const timedOut = refused.filter((a) => a.ms >= maxWaitMs * 0.9);
    const retryAfter = (list: Answer[]) => {
      const values = list.map((a) => a.retryAfterS ?? Number.NaN).filter(Number.isFinite);
      return values.length === 0
        ? undefined
        : { minS: Math.min(...values), p50S: quantile(values, 0.5), maxS: Math.max(...values) };
    };
    const types = (list: Answer[]) =>
      Object.fromEntries(
        [...new Set(list.map((a) => a.type ?? '?'))].map((t) => [
          t,
          list.filter((a) => (a.type ?? '?') === t).length,
        ]),
      );
    return {
      requests,
      maxWaitMs,
      served: served.length,
      servedWait: latency(served.map((a) => a.ms)),
      refusedAtOnce: atOnce.length,
      refusedAtOnceCodes: types(atOnce),
      refusedAtOnceRetryAfter: retryAfter(atOnce),
      timedOut: timedOut.length,
      timedOutRetryAfter: retryAfter(timedOut),
      otherRefused: refused.length - atOnce.length - timedOut.length,
      /** When the others were answered (client-side: includes waiting for a connection). */
      otherRefusedAfter: latency(
        refused.filter((a) => a.ms >= 2_000 && a.ms < maxWaitMs * 0.9).map((a) => a.ms),
      ),
      otherRefusedCodes: countBy(refused.filter((a) => a.ms >= 2_000 && a.ms < maxWaitMs * 0.9)),
      failed: answers.filter((a) => a.status !== 200 && a.status !== 429).length,
      upstream429s: (await emu.stats()).rateLimited - rateLimitedBefore,
    };
  } finally {
    await fleet.close();
  }
}

export { startLimitedEmulator };
