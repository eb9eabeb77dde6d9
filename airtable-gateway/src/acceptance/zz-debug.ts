import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGatewayEngine, startGatewayServer } from '../index.ts';
import {
  AUTH,
  distinctListQuery,
  itemsBase,
  maxInAnyWindow,
  startLimitedEmulator,
  TOKEN,
} from './support.ts';

const direct = process.argv[2] === 'direct';
const emu = await startLimitedEmulator();
const baseIds = await emu.loadBases(Array.from({ length: 12 }, (_, i) => itemsBase(`B${i}`, 2)));
const log: { at: number; path: string; status?: number; done?: number }[] = [];
const t0 = performance.now();
const f = (async (input: any, init: any) => {
  const e = { at: performance.now() - t0, path: new URL(String(input)).pathname } as any;
  log.push(e);
  const r = await fetch(input, init);
  e.status = r.status;
  e.done = performance.now() - t0;
  return r;
}) as typeof fetch;
const engine = await createGatewayEngine({ upstreamUrl: emu.url, fetch: f, maxQueueWaitMs: 20000 });
const server = await startGatewayServer({ engine, port: 0 });
const one = await fetch(`${server.url}/v0/${baseIds[0]}/Items`, { headers: AUTH });
console.log('warm', one.status);
await sleep(1100);
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
let done = 0;
const calls = baseIds.flatMap((b) =>
  Array.from({ length: 50 }, async (_, i) => {
    if (direct) {
      const r = await engine
        .request({ method: 'GET', path: `/v0/${b}/Items`, search: distinctListQuery(i), token: TOKEN })
        .catch((e) => ({ status: e.status }));
      done++;
      return r.status;
    }
    const r = await fetch(`${server.url}/v0/${b}/Items${distinctListQuery(i)}`, { headers: AUTH });
    await r.arrayBuffer();
    done++;
    return r.status;
  }),
);
const st = await Promise.race([Promise.all(calls), sleep(16000).then(() => [])]);
h.disable();
const s = await emu.stats();
console.log(
  direct ? 'direct' : 'http',
  'sent',
  log.length,
  'done',
  done,
  '429s',
  s.rateLimited,
  'maxwin',
  maxInAnyWindow(
    log.map((e) => e.at),
    1000,
  ),
  'loop delay max ms',
  (h.max / 1e6).toFixed(1),
  'p99',
  (h.percentile(99) / 1e6).toFixed(1),
);
const first = log.findIndex((e) => e.status === 429);
console.log('first 429', first);
if (first > 0)
  for (const e of log.slice(Math.max(0, first - 3), first + 2))
    console.log(e.at.toFixed(1), e.done?.toFixed(1), e.status, e.path.slice(0, 30));
process.exit(0);
