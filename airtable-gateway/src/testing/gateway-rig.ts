import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine, type GatewayEngine } from '../engine.ts';
import type { GatewayOptions } from '../options.ts';
import { type RunningGatewayServer, startGatewayServer } from '../proxy/server.ts';

export const TOKEN = 'gateway-test-token';
export const CRM = 'appJRG6RjcS0ZVuqz';

export interface GatewayRig {
  emulator: RunningEmulator;
  engine: GatewayEngine;
  server: RunningGatewayServer;
  /** fetch through the gateway proxy with the test token. */
  viaGateway(path: string, init?: RequestInit): Promise<Response>;
  /** fetch straight at the emulator with the test token. */
  direct(path: string, init?: RequestInit): Promise<Response>;
  upstreamStats(): Promise<{
    requests: number;
    rateLimited: number;
    byBase: Record<string, { requests: number }>;
  }>;
  admin(path: string, body?: unknown, method?: string): Promise<Response>;
  close(): Promise<void>;
}

/** An emulator (rate limits on) with a gateway engine and proxy in front of it. */
export async function startRig(
  engineOptions: GatewayOptions = {},
  rateLimits: { perBase?: number; perOwner?: number; penaltyMs?: number } = {},
): Promise<GatewayRig> {
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000, ...rateLimits },
  });
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 50,
    perOwnerLimit: 200,
    ...engineOptions,
  });
  const server = await startGatewayServer({ engine, port: 0 });
  const withToken = (init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string>),
    },
  });
  return {
    emulator,
    engine,
    server,
    viaGateway: (path, init) => fetch(`${server.url}${path}`, withToken(init)),
    direct: (path, init) => fetch(`${emulator.url}${path}`, withToken(init)),
    upstreamStats: async () => (await fetch(`${emulator.url}/__emulator/stats`)).json() as never,
    admin: (path, body, method) =>
      fetch(`${emulator.url}/__emulator${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'PUT'),
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async close() {
      await server.close();
      await engine.close();
      await emulator.close();
    },
  };
}

/** A loopback URL where nothing listens: connections are refused at once. */
export async function refusedUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
