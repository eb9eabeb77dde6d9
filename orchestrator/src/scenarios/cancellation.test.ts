import { inMemoryMcpClients } from '@airsuite/mcp-server';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatService } from '../chat-service.ts';
import { createPgChatStore } from '../store/pg-chat-store.ts';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
import { clearFaults, nextEvent, ofType, slowEmulator } from './scenario-kit.ts';

const rig = useChatRig();

afterEach(() => clearFaults(rig));

/** The rig's chat, but recording what the MCP client sends (to see its cancellation). */
function recordingChat(sent: JSONRPCMessage[]) {
  const connect = inMemoryMcpClients(rig.platform.platform());
  return createChatService({
    store: createPgChatStore(rig.platform.db()),
    modelFor: async () => rig.model(),
    async connect(caller) {
      const client = await connect(caller);
      const transport = client.transport;
      if (transport) {
        const send = transport.send.bind(transport);
        transport.send = (message, options) => {
          sent.push(message);
          return send(message, options);
        };
      }
      return client;
    },
  });
}

describe('cancelling a run', () => {
  it('aborts the running tool call, ends the run cancelled, and leaves the chat usable', async () => {
    const sent: JSONRPCMessage[] = [];
    const chat = recordingChat(sent);
    slowEmulator(rig, 4_000);
    rig.gemini().enqueue({
      functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }],
    });
    const caller = await rig.caller();
    const conversation = await chat.create(caller);
    let started: (runId: string) => void = () => {};
    const runId = new Promise<string>((resolve) => {
      started = resolve;
    });
    const pending = chat.send(caller, conversation.id, 'How many deals?', (run) => started(run.id));
    const id = await runId;
    await nextEvent(chat, id, 'tool_call_started');
    const cancelledAt = Date.now();
    expect(await chat.cancel(caller, conversation.id)).toBe(true);

    const run = await pending;
    // It did not wait for the slow Airtable call.
    expect(Date.now() - cancelledAt).toBeLessThan(2_500);
    expect(run.status).toBe('cancelled');
    const events = (await chat.store.eventsAfter(id, 0)).map((e) => e.event);
    expect(ofType(events, 'tool_call_finished')[0]).toMatchObject({
      name: 'count_records',
      ok: false,
      code: 'TOOL_CANCELLED',
    });
    expect(ofType(events, 'error')[0]).toMatchObject({ code: 'CHAT_CANCELLED' });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'cancelled' });
    // The MCP client told the server to stop.
    expect(sent.some((m) => 'method' in m && m.method === 'notifications/cancelled')).toBe(true);
    expect(chat.isRunning(conversation.id)).toBe(false);

    // The conversation takes a new message, and its history is one Gemini accepts.
    clearFaults(rig);
    rig.gemini().enqueue({ text: 'Sure, ask away.' });
    const next = await chat.send(caller, conversation.id, 'Never mind. Can I ask something else?');
    expect(next.status).toBe('completed');
    const history = rig.gemini().requests.at(-1)?.body.contents ?? [];
    // The cancelled call was answered (TOOL_CANCELLED), so the call turn is not left dangling;
    // the answer and the new message travel as one user turn.
    const [answer, message] = history.at(-1)?.parts ?? [];
    expect(message?.text).toBe('Never mind. Can I ask something else?');
    expect(answer?.functionResponse).toMatchObject({
      name: 'count_records',
      response: { error: { code: 'TOOL_CANCELLED' } },
    });
  });
});
