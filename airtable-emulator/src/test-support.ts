import { createEmulator, type EmulatorOptions, type RunningEmulator } from './index.ts';

/** A full-access token for tests; deliberately not shaped like a real PAT. */
export const TEST_TOKEN = 'test-token-full-access';

export interface TestEmulator {
  emulator: RunningEmulator;
  url: string;
  /** fetch against the emulator with the test token (override headers to drop it). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** The admin API (`/__emulator/...`). */
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts an emulator on a free port with the sample bases and no rate limits unless asked. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TEST_TOKEN],
    ...options,
    rateLimits: { enabled: false, ...options.rateLimits },
  });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${emulator.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${emulator.url}/__emulator${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return { emulator, url: emulator.url, api, admin, close: () => emulator.close() };
}
