import type { RunningEmulator } from '@airsuite/airtable-emulator';
import type { AirtableGateway } from '@airsuite/airtable-gateway';
import type { SafetyPolicy } from '../core/policy.ts';
import type { ProgressUpdate, ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { SAMPLE_CRM, useAirtableRig } from '../testing/airtable-rig.ts';

/** Shared setup for the write-tool specs: the sample emulator (rate limits on), an engine, a client. */

export const TOKEN = 'write-tools-test-token';
export const CRM = SAMPLE_CRM;

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
  // Writes must be read back fresh, so this client does not use the record cache.
  const rig = useAirtableRig(TOKEN, { cache: false });
  return {
    emulator: rig.emulator,
    airtable: rig.airtable,
    context: (policy = { readOnly: false }) => rig.context(policy),
    async records(table) {
      const out: { id: string; fields: Record<string, unknown> }[] = [];
      let offset: string | undefined;
      do {
        const qs = offset ? `?offset=${offset}` : '';
        const res = await fetch(`${rig.emulator().url}/v0/${CRM}/${encodeURIComponent(table)}${qs}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const body = (await res.json()) as { records: typeof out; offset?: string };
        out.push(...body.records);
        offset = body.offset;
      } while (offset);
      return out;
    },
    async snapshot() {
      return (await fetch(`${rig.emulator().url}/__emulator/export`)).json();
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
