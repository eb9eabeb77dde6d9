import {
  type AirtableGateway,
  createAirtableGateway,
  createGatewayEngine,
  type GatewayEngine,
} from '@airsuite/airtable-gateway';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-gateway/emulator';
import { afterAll, beforeAll, expect } from 'vitest';
import type { z } from 'zod';
import type { ToolDefinition } from '../core/define-tool.ts';
import type { SafetyPolicy } from '../core/policy.ts';
import type { ProgressUpdate, ToolContext } from '../core/tool-context.ts';
import { isToolError, type ToolErrorCode } from '../core/tool-error.ts';

/** Shared setup for the read-tool specs: the sample emulator (rate limits on), an engine, a client. */

export const TOKEN = 'read-tools-test-token';
export const CRM = 'appJRG6RjcS0ZVuqz';

export interface ReadKit {
  airtable(): AirtableGateway;
  /** The upstream emulator, for its admin API (stats, iterator expiry). */
  emulator(): RunningEmulator;
  context(policy?: SafetyPolicy): ToolContext & { updates: ProgressUpdate[] };
  /** Validates the input with the tool's schema (defaults applied), then runs the handler. */
  run<I extends z.ZodObject, O extends z.ZodObject>(
    tool: ToolDefinition<I, O>,
    input: z.input<I>,
    policy?: SafetyPolicy,
  ): Promise<z.output<O>>;
  /** Runs a call that must fail with a ToolError of `code`; returns it. */
  fails<I extends z.ZodObject, O extends z.ZodObject>(
    tool: ToolDefinition<I, O>,
    input: z.input<I>,
    code: ToolErrorCode,
    policy?: SafetyPolicy,
  ): Promise<{ code: string; message: string; details?: Record<string, unknown> }>;
}

export function useReadKit(): ReadKit {
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
    airtable = createAirtableGateway({ engine, token: TOKEN });
  });
  afterAll(async () => {
    await airtable?.close();
    await engine?.close();
    await emulator?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useReadKit: used outside a test');
    return value;
  };
  const kitEmulator = () => ready(emulator);
  const context = (policy: SafetyPolicy = { readOnly: true }) => {
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
  };
  const run: ReadKit['run'] = async (tool, input, policy) =>
    tool.handler(tool.inputSchema.parse(input) as never, context(policy));
  return {
    airtable: () => ready(airtable),
    emulator: kitEmulator,
    context,
    run,
    async fails(tool, input, code, policy) {
      const error = await run(tool, input, policy).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isToolError(error), `expected a ToolError, got ${String(error)}`).toBe(true);
      const e = error as { code: string; message: string; details?: Record<string, unknown> };
      expect(e.code).toBe(code);
      return e;
    },
  };
}
