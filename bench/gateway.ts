import { setTimeout as sleep } from 'node:timers/promises';
import { createEmulator, type Fixture } from '@airsuite/airtable-emulator';
import { createGatewayEngine, type GatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import {
  TOKEN as LIMITED_TOKEN,
  type LimitedEmulator,
  itemsBase as limitedItemsBase,
  startLimitedEmulator,
} from '@airsuite/airtable-gateway/acceptance';
import { startBenchRedis } from './bench-redis.ts';
import { burst3000, multiOwner, passthroughFloor, sharedBurst } from './gateway-scale.ts';
import { quantile } from './stats.ts';

const TOKEN = 'bench-token-full-access';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const HIGH = 1_000_000;

type FixtureBase = Fixture['bases'][number];

/** One base with an `Items` table (Name, Group) of `rows` records. */
function itemsBase(name: string, rows: number): FixtureBase {
  return {
    name,
    tables: [
      {
        name: 'Items',
        fields: [
          { name: 'Name', type: 'singleLineText' },
          { name: 'Group', type: 'singleLineText' },
        ],
        records: Array.from({ length: rows }, (_, i) => ({
          fields: { Name: `item-${i}`, Group: `g${i % 3}` },
        })),
      },
    ],
  };
}

async function startEmulator(perBase: number, perOwner: number) {
  const emulator = await createEmulator({
    port: 0,
    seed: 'empty',
    tokens: [TOKEN],
    rateLimits: { enabled: true, perBase, perOwner, penaltyMs: 30_000 },
  });
  const [baseId] = emulator.admin.loadBases({ version: 1, bases: [itemsBase('Bench', 20)] }) as [string];
  const rateLimited = () => (emulator.admin.stats() as { rateLimited: number }).rateLimited;
  return { emulator, baseId, rateLimited };
}

const ms = (n: number) => Math.round(n * 1000) / 1000;

function distribution(samples: number[]) {
  return { n: samples.length, p50Ms: ms(quantile(samples, 0.5)), p99Ms: ms(quantile(samples, 0.99)) };
}

async function timed(call: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const response = await call();
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`bench call answered ${response.status}`);
  return elapsed;
}

/**
 * (a) Rate-bound: 200 concurrent list calls on one base at Airtable's 5/s. The achieved rate
 * is taken once the opening burst has gone, (n − limit) / (t[n−1] − t[limit−1]), which can
 * never read above the limit for a correct limiter; the plain (n − 1) / span is given too.
 */
async function rateBound() {
  const requests = 200;
  const perBaseLimit = 5;
  const { emulator, baseId, rateLimited } = await startEmulator(perBaseLimit, 50);
  const sends: number[] = [];
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit,
    fetch: (input, init) => {
      if (String(input).includes(baseId)) sends.push(performance.now());
      return fetch(input, init);
    },
  });
  const server = await startGatewayServer({ engine, port: 0 });
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        timed(() =>
          fetch(
            `${server.url}/v0/${baseId}/Items?filterByFormula=${encodeURIComponent(`{Name} != 'x${i}'`)}`,
            {
              headers: AUTH,
            },
          ),
        ),
      ),
    );
    const elapsedS = (performance.now() - started) / 1000;
    sends.sort((a, b) => a - b);
    const span = (from: number) => ((sends.at(-1) as number) - (sends[from] as number)) / 1000;
    const achieved = (sends.length - perBaseLimit) / span(perBaseLimit - 1);
    return {
      requests,
      perBaseLimit,
      elapsedS: ms(elapsedS),
      achievedReqPerS: ms(achieved),
      percentOfLimit: Math.round((achieved / perBaseLimit) * 1000) / 10,
      naiveRateReqPerS: ms((sends.length - 1) / span(0)),
      upstream429s: rateLimited(),
    };
  } finally {
    await server.close();
    await engine.close();
    await emulator.close();
  }
}

/**
 * (b) Added latency when not rate-bound (limits raised on both sides): the same list call
 * straight to the emulator and through the proxy, interleaved so both see the same machine.
 */
async function addedLatency() {
  const samples = 500;
  const { emulator, baseId } = await startEmulator(HIGH, HIGH);
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: HIGH,
    perOwnerLimit: HIGH,
  });
  const server = await startGatewayServer({ engine, port: 0 });
  const path = `/v0/${baseId}/Items?pageSize=10`;
  const direct = () => fetch(`${emulator.url}${path}`, { headers: AUTH });
  const proxied = () => fetch(`${server.url}${path}`, { headers: AUTH });
  try {
    for (let i = 0; i < 50; i++) {
      await timed(direct);
      await timed(proxied);
    }
    const directMs: number[] = [];
    const proxiedMs: number[] = [];
    const paired: number[] = [];
    for (let i = 0; i < samples; i++) {
      // Alternate which goes first, so neither always runs on a warmer path.
      let d: number;
      let p: number;
      if (i % 2 === 0) {
        d = await timed(direct);
        p = await timed(proxied);
      } else {
        p = await timed(proxied);
        d = await timed(direct);
      }
      directMs.push(d);
      proxiedMs.push(p);
      paired.push(p - d);
    }
    const d = distribution(directMs);
    const p = distribution(proxiedMs);
    return {
      samples,
      direct: d,
      proxied: p,
      addedP50Ms: ms(p.p50Ms - d.p50Ms),
      addedP99Ms: ms(p.p99Ms - d.p99Ms),
      pairedDifferenceP50Ms: distribution(paired).p50Ms,
    };
  } finally {
    await server.close();
    await engine.close();
    await emulator.close();
  }
}

async function counter(engine: GatewayEngine, name: 'coalesced' | 'cache' | 'upstreamRequests') {
  return (await engine.metrics[name].get()).values;
}

/**
 * (c) An agent workload through an in-process engine with a record cache, at Airtable's
 * real limits: each round, every agent reads the schema, runs one of three list queries
 * (the same ones as the other agents, at the same moment); in rounds 2 and 5 one agent
 * creates a record, which drops the base's cached reads.
 */
async function agentWorkload() {
  const agents = 6;
  const rounds = 8;
  const writeRounds = new Set([2, 5]);
  const queries = ['', `?filterByFormula=${encodeURIComponent("{Group} = 'g1'")}`, '?pageSize=5'];
  const { emulator, baseId, rateLimited } = await startEmulator(5, 50);
  const engine = await createGatewayEngine({ upstreamUrl: emulator.url, recordCacheTtlMs: 5_000 });
  const calls = { schema: 0, list: 0, create: 0 };
  const started = performance.now();
  try {
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        Array.from({ length: agents }, async (_, agent) => {
          const ask = async (method: string, path: string, search = '', body?: unknown) => {
            const answer = await engine.request({
              method,
              path,
              search,
              token: TOKEN,
              allowCache: true,
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            if (answer.status !== 200) throw new Error(`${method} ${path} answered ${answer.status}`);
          };
          calls.schema++;
          await ask('GET', `/v0/meta/bases/${baseId}/tables`);
          calls.list++;
          await ask('GET', `/v0/${baseId}/Items`, queries[(agent + round) % queries.length]);
          if (agent === 0 && writeRounds.has(round)) {
            calls.create++;
            await ask('POST', `/v0/${baseId}/Items`, '', {
              records: [{ fields: { Name: `agent-${agent}-round-${round}`, Group: 'g9' } }],
            });
          }
        }),
      );
    }
    const elapsedS = (performance.now() - started) / 1000;
    const lookups = await counter(engine, 'cache');
    const count = (cache: string, result: string) =>
      lookups.find((v) => {
        const labels = v.labels as Record<string, string | number | undefined>;
        return labels.cache === cache && labels.result === result;
      })?.value ?? 0;
    const rate = (hits: number, total: number) =>
      total === 0 ? 0 : Math.round((hits / total) * 1000) / 1000;
    const records = { hits: count('records', 'hit'), misses: count('records', 'miss') };
    const schema = { hits: count('schema', 'hit'), misses: count('schema', 'miss') };
    const coalesced = (await counter(engine, 'coalesced'))[0]?.value ?? 0;
    const upstream = (await counter(engine, 'upstreamRequests')).reduce((sum, v) => sum + v.value, 0);
    const reads = calls.schema + calls.list;
    const readsPastCache = reads - records.hits - schema.hits;
    return {
      agents,
      rounds,
      elapsedS: ms(elapsedS),
      calls,
      recordCache: { ...records, hitRate: rate(records.hits, records.hits + records.misses) },
      schemaCache: { ...schema, hitRate: rate(schema.hits, schema.hits + schema.misses) },
      coalesced,
      /** Of the reads the caches could not answer, the share that joined an identical call in flight. */
      coalescingRate: rate(coalesced, readsPastCache),
      /** Upstream calls (whoami included) per call the agents made. */
      upstreamCalls: upstream,
      upstreamPerCall: rate(upstream, reads + calls.create),
      upstream429s: rateLimited(),
    };
  } finally {
    await engine.close();
    await emulator.close();
  }
}

/**
 * (d) Five sequential calls on an idle base, through an in-process gateway (its proxy) and
 * straight to the emulator (Airtable's real limits, in a process of its own), each set on a
 * base of its own that has been idle for over a second. Rounds alternate which goes first.
 */
async function idleBase(emu: LimitedEmulator) {
  const rounds = 8;
  const [viaBase, directBase, warmBase] = (await emu.loadBases([
    limitedItemsBase('Idle via gateway', 5),
    limitedItemsBase('Idle direct', 5),
    limitedItemsBase('Idle warm-up', 5),
  ])) as [string, string, string];
  const engine = await createGatewayEngine({ upstreamUrl: emu.url });
  const server = await startGatewayServer({ engine, port: 0 });
  const auth = { authorization: `Bearer ${LIMITED_TOKEN}` };
  const five = async (origin: string, baseId: string) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++)
      times.push(await timed(() => fetch(`${origin}/v0/${baseId}/Items`, { headers: auth })));
    return times;
  };
  try {
    // The owner is known and both paths are warm, as in a gateway that has been up a while.
    await five(server.url, warmBase);
    await sleep(1_100);
    await five(emu.url, warmBase);
    const via: number[][] = [];
    const direct: number[][] = [];
    for (let round = 0; round < rounds; round++) {
      await sleep(1_100);
      if (round % 2 === 0) {
        via.push(await five(server.url, viaBase));
        direct.push(await five(emu.url, directBase));
      } else {
        direct.push(await five(emu.url, directBase));
        via.push(await five(server.url, viaBase));
      }
    }
    const p50 = (sets: number[][]) => ms(quantile(sets.flat(), 0.5));
    return {
      rounds,
      firstRoundViaGatewayMs: (via[0] as number[]).map((t) => Math.round(t * 10) / 10),
      firstRoundDirectMs: (direct[0] as number[]).map((t) => Math.round(t * 10) / 10),
      viaGateway: distribution(via.flat()),
      direct: distribution(direct.flat()),
      addedP50MsPerCall: ms(p50(via) - p50(direct)),
      /** The whole five-call sequence, p50 over the rounds. */
      sequenceViaGatewayMs: ms(
        quantile(
          via.map((t) => t.reduce((a, b) => a + b, 0)),
          0.5,
        ),
      ),
      sequenceDirectMs: ms(
        quantile(
          direct.map((t) => t.reduce((a, b) => a + b, 0)),
          0.5,
        ),
      ),
    };
  } finally {
    await server.close();
    await engine.close();
  }
}

async function scale() {
  const emu = await startLimitedEmulator();
  const redis = await startBenchRedis();
  try {
    const idle = await idleBase(emu);
    const shared = await sharedBurst(emu, 3, redis);
    const one = await multiOwner(emu, 1);
    const three = await multiOwner(emu, 3, redis);
    const burst = await burst3000(emu);
    const floor = {
      oneProcess: await passthroughFloor(1, one.upstreamReqPerS),
      threeProcesses: await passthroughFloor(3, three.upstreamReqPerS),
    };
    return { idle, shared, one, three, floor, burst };
  } finally {
    await redis.close();
    await emu.close();
  }
}

/** The gateway's benchmark: throughput at the limit, overhead below it, savings for agents, scale. */
export async function benchGateway() {
  const only = process.env.BENCH_GATEWAY_ONLY;
  if (only === 'scale') return scale();
  const rate = await rateBound();
  const latency = await addedLatency();
  const agents = await agentWorkload();
  const { idle, shared, one, three, floor, burst } = await scale();
  const cpuRatio = Math.round((three.cpuMsPerRequest / one.cpuMsPerRequest) * 100) / 100;
  const floorRatio =
    Math.round((floor.threeProcesses.cpuMsPerRequest / floor.oneProcess.cpuMsPerRequest) * 100) / 100;
  return {
    idleBase: idle,
    rateBound: rate,
    sharedRedisBurst: shared,
    multiOwner: {
      oneProcess: one,
      threeProcessesSharingRedis: three,
      cpuRatioThreeToOne: cpuRatio,
      /** A bare node:http pass-through at the same rates, same run: Node's own HTTP cost here. */
      passthroughFloor: { ...floor, cpuRatioThreeToOne: floorRatio },
    },
    burst3000: burst,
    addedLatency: latency,
    agentWorkload: agents,
    targets: {
      idleAddedP50MsPerCallBelow: 2,
      rateBoundPercentOfLimitAtLeast: 97,
      multiOwnerPercentOfCeilingAtLeast: 95,
      cpuRatioThreeToOneAtMost: 1.5,
      cpuMsPerRequestOneProcessBelow: 0.5,
      addedP50MsBelow: 1,
      met: {
        idleBase: idle.addedP50MsPerCall < 2,
        rateBound: rate.percentOfLimit >= 97 && rate.upstream429s === 0,
        sharedRedisBurst: shared.upstream429s === 0 && shared.ok === shared.requests,
        multiOwner:
          one.upstream429s === 0 &&
          three.upstream429s === 0 &&
          three.percentOfCeiling >= 95 &&
          cpuRatio <= 1.5 &&
          one.cpuMsPerRequest < 0.5,
        burst3000: burst.timedOut === 0 && burst.upstream429s === 0,
        addedLatency: latency.addedP50Ms < 1,
      },
    },
  };
}
