/**
 * Shared kit of the gateway acceptance tests: an emulator with Airtable's real limits
 * (and its real 30-second penalty, so a single 429 wrecks a run), small bases loaded
 * through the admin API, a fetch that records when each upstream call left, and the
 * arithmetic the tests assert on.
 */
import type { Fixture } from '@airsuite/airtable-emulator';
import { spawnCli } from './cli-process.ts';

export type FixtureBase = Fixture['bases'][number];

export const TOKEN = 'acceptance-token-full-access';
export const AUTH = { authorization: `Bearer ${TOKEN}` } as const;
/** Airtable's lock-out after a 429: kept real so that any 429 is loud. */
export const AIRTABLE_PENALTY_MS = 30_000;

export interface EmulatorStats {
  requests: number;
  rateLimited: number;
  byStatus: Record<string, number>;
  byBase: Record<string, { requests: number; rateLimited: number }>;
}

export interface LimitedEmulator {
  url: string;
  /** `/__emulator/...`; JSON in, JSON out; throws on a non-2xx answer. */
  admin<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  stats(): Promise<EmulatorStats>;
  /** Adds bases through `POST /__emulator/bases`; resolves their (fresh, random) ids. */
  loadBases(bases: FixtureBase[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * An emulator with rate limits ON (Airtable's 5/s per base and 50/s per owner unless told),
 * in a process of its own, as Airtable is: sharing the test's event loop with hundreds of
 * concurrent callers would delay the moments it counts arrivals by tens of milliseconds,
 * unevenly, and produce 429s no real network path would.
 */
export async function startLimitedEmulator(
  limits: { perBase?: number; perOwner?: number } = {},
): Promise<LimitedEmulator> {
  const child = await spawnCli('emulator', [
    '--seed',
    'empty',
    '--token',
    TOKEN,
    '--per-base',
    String(limits.perBase ?? 5),
    '--per-owner',
    String(limits.perOwner ?? 50),
    '--penalty-ms',
    String(AIRTABLE_PENALTY_MS),
  ]);
  const admin = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${child.url}/__emulator${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const limitsNow = await admin<{ enabled: boolean; penaltyMs: number }>('/rate-limits');
  if (!limitsNow.enabled || limitsNow.penaltyMs !== AIRTABLE_PENALTY_MS) {
    await child.stop();
    throw new Error(`the emulator did not start with real rate limits: ${JSON.stringify(limitsNow)}`);
  }
  return {
    url: child.url,
    admin,
    stats: () => admin<EmulatorStats>('/stats'),
    async loadBases(bases) {
      const { baseIds } = await admin<{ baseIds: string[] }>('/bases', { body: { version: 1, bases } });
      return baseIds;
    },
    close: () => child.stop(),
  };
}

/** A base with one `Items` table (Name, Marker) holding `rows` records named `item-0`…. */
export function itemsBase(name: string, rows: number, extraTables: string[] = []): FixtureBase {
  const table = (tableName: string, count: number) => ({
    name: tableName,
    fields: [
      { name: 'Name', type: 'singleLineText' as const },
      { name: 'Marker', type: 'singleLineText' as const },
    ],
    records: Array.from({ length: count }, (_, i) => ({ fields: { Name: `item-${i}` } })),
  });
  return { name, tables: [table('Items', rows), ...extraTables.map((t) => table(t, 0))] };
}

/**
 * A list query unique to `i`, so the gateway cannot merge it with another in flight
 * (coalescing stays on, as in production); it still returns every record.
 */
export function distinctListQuery(i: number): string {
  return `?filterByFormula=${encodeURIComponent(`NOT({Name} = 'probe-${i}')`)}`;
}

export interface UpstreamSend {
  /** `performance.now()` when the call left for upstream. */
  at: number;
  method: string;
  path: string;
}

/** A fetch for `createGatewayEngine({fetch})` that logs when each upstream call left. */
export function recordingFetch(): { fetch: typeof fetch; sends: UpstreamSend[] } {
  const sends: UpstreamSend[] = [];
  const recorded = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sends.push({ at: performance.now(), method: init?.method ?? 'GET', path: url.pathname });
    return fetch(input, init);
  };
  return { fetch: recorded as typeof fetch, sends };
}

/** Send times (sorted) of upstream calls that touch `baseId`. */
export function timesFor(sends: UpstreamSend[], baseId: string): number[] {
  return sends
    .filter((s) => s.path.split('/').includes(baseId))
    .map((s) => s.at)
    .sort((a, b) => a - b);
}

/** The most events inside any window of `spanMs` ms, half-open [t, t + span) (times sorted). */
export function maxInAnyWindow(sorted: number[], spanMs: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= spanMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** The sustained rate in req/s: (n − 1) / (last − first), as the issue defines it. */
export function sustainedRate(sorted: number[]): number {
  if (sorted.length < 2) return 0;
  return ((sorted.length - 1) * 1000) / ((sorted.at(-1) as number) - (sorted[0] as number));
}

/**
 * The rate once the first burst has gone: (n − limit) / (t[n−1] − t[limit−1]). A limiter
 * that lets `limit` calls out at once and then one per freed slot repeats its pattern every
 * window, so this is the figure that must stay ≤ the limit (the plain (n − 1)/span counts
 * the opening burst as free and reads a hair above it: 199 calls over 39 windows).
 */
export function steadyRate(sorted: number[], limit: number): number {
  if (sorted.length <= limit) return 0;
  const from = sorted[limit - 1] as number;
  return ((sorted.length - limit) * 1000) / ((sorted.at(-1) as number) - from);
}

export const round3 = (n: number): number => Math.round(n * 1000) / 1000;
