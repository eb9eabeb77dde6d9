import type { RunningEmulator } from '@airsuite/airtable-emulator';
import type { AirtableGateway } from '@airsuite/airtable-gateway';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { ToolDefinition } from '../core/define-tool.ts';
import type { SafetyPolicy } from '../core/policy.ts';
import type { ProgressUpdate, ToolContext } from '../core/tool-context.ts';
import { isToolError, type ToolErrorCode } from '../core/tool-error.ts';
import { SAMPLE_CRM, useAirtableRig } from '../testing/airtable-rig.ts';

/** Shared setup for the read-tool specs: the sample emulator (rate limits on), an engine, a client. */

export const TOKEN = 'read-tools-test-token';
export const CRM = SAMPLE_CRM;

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
  const rig = useAirtableRig(TOKEN);
  const context = (policy: SafetyPolicy = { readOnly: true }) => rig.context(policy);
  const run: ReadKit['run'] = async (tool, input, policy) =>
    tool.handler(tool.inputSchema.parse(input) as never, context(policy));
  return {
    airtable: rig.airtable,
    emulator: rig.emulator,
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
