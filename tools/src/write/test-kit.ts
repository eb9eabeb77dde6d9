import {
  type AirtableGateway,
  createAirtableGateway,
  createGatewayEngine,
  type GatewayEngine,
} from '@airsuite/airtable-gateway';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-gateway/emulator';
import { afterAll, beforeAll } from 'vitest';
import type { SafetyPolicy } from '../core/policy.ts';
import type { ProgressUpdate, ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';

/** Shared setup for the write-tool specs: the sample emulator (rate limits on), an engine, a client. */

export const TOKEN = 'write-tools-test-token';
export const CRM = 'appJRG6RjcS0ZVuqz';

export interface WriteKit {
  emulator(): RunningEmulator;
  airtable(): AirtableGateway;
  /** A fresh context; `progress` records every update. */
  context(policy?: SafetyPolicy): ToolContext & { updates: ProgressUpdate[] };
  /** Every record of a table, read straight from the emulator (no cache). */
  records(table: string): Promise<{ id: string; fields: Record<string, unknown> }[]>;
  /** The emulator's whole state, for "nothing was written" checks. */
  snapshot(): Promise<unknown>;
}

export function useWriteKit(): WriteKit {
  let emulator: RunningEmulator | undefined;
  let engine: GatewayEngine | undefined;
  let airtable: AirtableGateway | undefined;
  beforeAll(async () => {
    emulator = await createEmulator({
      port: 0,
      seed: 'sample',
      tokens: [TOKEN],
      rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000 },
    });
    engine = await createGatewayEngine({ upstreamUrl: emulator.url, perBaseLimit: 50, perOwnerLimit: 200 });
    airtable = createAirtableGateway({ engine, token: TOKEN, cache: false });
  });
  afterAll(async () => {
    await airtable?.close();
    await engine?.close();
    await emulator?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useWriteKit: used outside a test');
    return value;
  };
  return {
    emulator: () => ready(emulator),
    airtable: () => ready(airtable),
    context(policy = { readOnly: false }) {
      const updates: ProgressUpdate[] = [];
      return {
        airtable: ready(airtable),
        caller: { id: 'test' },
        policy,
        progress: (u) => updates.push(u),
        signal: new AbortController().signal,
        log: () => {},
        updates,
      };
    },
    async records(table) {
      const out: { id: string; fields: Record<string, unknown> }[] = [];
      let offset: string | undefined;
      do {
        const qs = offset ? `?offset=${offset}` : '';
        const res = await fetch(`${ready(emulator).url}/v0/${CRM}/${encodeURIComponent(table)}${qs}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const body = (await res.json()) as { records: typeof out; offset?: string };
        out.push(...body.records);
        offset = body.offset;
      } while (offset);
      return out;
    },
    async snapshot() {
      return (await fetch(`${ready(emulator).url}/__emulator/export`)).json();
    },
  };
}

/** The ToolError a call rejected with (fails the test if it resolved). */
export async function toolError(run: Promise<unknown>): Promise<ToolError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ToolError) return error;
    throw error;
  }
  throw new Error('expected a ToolError');
}
