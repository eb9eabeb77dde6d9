import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import {
  type AirtableGateway,
  createAirtableGateway,
  createGatewayEngine,
  type GatewayEngine,
} from '@airsuite/airtable-gateway';
import { afterAll, beforeAll } from 'vitest';
import type { SafetyPolicy } from '../core/policy.ts';
import type { ProgressUpdate, ToolContext } from '../core/tool-context.ts';

export const SAMPLE_CRM = 'appJRG6RjcS0ZVuqz';

export interface AirtableRig {
  emulator(): RunningEmulator;
  airtable(): AirtableGateway;
  /** A fresh tool context under `policy`; `updates` records every progress report. */
  context(policy: SafetyPolicy): ToolContext & { updates: ProgressUpdate[] };
}

/**
 * The setup every tool spec shares: the sample emulator with its rate limits on (raised
 * for speed), a gateway engine and a client, started before the file's tests and closed
 * after them.
 */
export function useAirtableRig(token: string, options: { cache?: boolean } = {}): AirtableRig {
  let emulator: RunningEmulator | undefined;
  let engine: GatewayEngine | undefined;
  let airtable: AirtableGateway | undefined;
  beforeAll(async () => {
    emulator = await createEmulator({
      port: 0,
      seed: 'sample',
      tokens: [token],
      rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000 },
    });
    engine = await createGatewayEngine({ upstreamUrl: emulator.url, perBaseLimit: 50, perOwnerLimit: 200 });
    airtable = createAirtableGateway({
      engine,
      token,
      ...(options.cache === undefined ? {} : { cache: options.cache }),
    });
  });
  afterAll(async () => {
    await airtable?.close();
    await engine?.close();
    await emulator?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useAirtableRig: used outside a test');
    return value;
  };
  return {
    emulator: () => ready(emulator),
    airtable: () => ready(airtable),
    context(policy) {
      const updates: ProgressUpdate[] = [];
      return {
        airtable: ready(airtable),
        caller: { id: 'test' },
        policy,
        progress: (u: ProgressUpdate) => void updates.push(u),
        signal: new AbortController().signal,
        log: () => {},
        updates,
      };
    },
  };
}
