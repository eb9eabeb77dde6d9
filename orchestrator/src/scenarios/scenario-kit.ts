import { NO_FAULTS } from '@airsuite/airtable-emulator';
import { lastFunctionResponses, type RecordedRequest } from '@airsuite/evals/fake-gemini';
import { inMemoryMcpClients } from '@airsuite/mcp-server';
import type { ChatService } from '../chat-service.ts';
import type { RunEvent } from '../loop/events.ts';
import { type ChatRig, SAMPLE_CRM } from '../testing/chat-rig.ts';

/** `slow` adds latency to every CRM request; the emulator's own fault-free settings otherwise. */
export function slowEmulator(rig: ChatRig, latencyMs: number): void {
  rig.platform.emulator().admin.setFaults({ ...NO_FAULTS, latencyMs, baseId: SAMPLE_CRM });
}

export function clearFaults(rig: ChatRig): void {
  rig.platform.emulator().admin.setFaults({ ...NO_FAULTS });
}

/** Creates Companies records through the MCP tools (so the gateway's caches stay honest); returns their ids. */
export async function seedCompanies(rig: ChatRig, names: string[]): Promise<string[]> {
  const caller = await rig.caller();
  const client = await inMemoryMcpClients(rig.platform.platform())({
    bearer: caller.bearer,
    workspaceId: caller.access.workspaceId,
  });
  try {
    const result = await client.callTool({
      name: 'create_records',
      arguments: {
        base_id: SAMPLE_CRM,
        table: 'Companies',
        records: names.map((Name) => ({ fields: { Name } })),
      },
    });
    const records = (result.structuredContent as { records?: { id?: string }[] } | undefined)?.records ?? [];
    const ids = records.flatMap((r) => (r.id ? [r.id] : []));
    if (ids.length !== names.length) throw new Error(`seedCompanies: created ${JSON.stringify(result)}`);
    return ids;
  } finally {
    await client.close();
  }
}

/** Whether the emulator itself (not the gateway's cache) still holds the record. */
export async function emulatorHas(rig: ChatRig, table: string, recordId: string): Promise<boolean> {
  const emulator = rig.platform.emulator();
  const response = await fetch(`${emulator.url}/v0/${SAMPLE_CRM}/${table}/${recordId}`, {
    headers: { authorization: `Bearer ${rig.platform.airtableToken()}` },
  });
  await response.body?.cancel();
  if (response.status !== 200 && response.status !== 404) throw new Error(`emulator: ${response.status}`);
  return response.status === 200;
}

/** Resolves with the run's first event of `type` (replayed or live). */
export function nextEvent<T extends RunEvent['type']>(
  chat: ChatService,
  runId: string,
  type: T,
): Promise<Extract<RunEvent, { type: T }>> {
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | undefined;
    let done = false;
    void chat
      .subscribe(runId, 0, (stored) => {
        if (done || stored.event.type !== type) return;
        done = true;
        unsubscribe?.();
        resolve(stored.event as Extract<RunEvent, { type: T }>);
      })
      .then((off) => {
        unsubscribe = off;
        if (done) off();
      });
  });
}

export const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

/** The functionResponse parts the loop sent in `request` (none when there is no such request). */
export const answersIn = (request: RecordedRequest | undefined) =>
  request ? lastFunctionResponses(request) : [];
