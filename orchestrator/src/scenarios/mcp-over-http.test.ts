import {
  createPlatformAuthenticator,
  type RunningMcpHttpServer,
  startMcpHttpServer,
} from '@airsuite/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatService } from '../chat-service.ts';
import { httpMcpConnector } from '../http-mcp-connector.ts';
import { createPgChatStore } from '../store/pg-chat-store.ts';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';

const rig = useChatRig();
let mcp: RunningMcpHttpServer;

beforeAll(async () => {
  mcp = await startMcpHttpServer({
    authenticate: createPlatformAuthenticator(rig.platform.platform()),
    port: 0,
  });
});
afterAll(() => mcp.close());

describe('the orchestrator as a separate process', () => {
  it('calls the tools over Streamable HTTP as the chatting user', async () => {
    const chat = createChatService({
      store: createPgChatStore(rig.platform.db()),
      connect: httpMcpConnector(mcp.url),
      modelFor: async () => rig.model(),
    });
    rig
      .gemini()
      .enqueue(
        { functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Companies' } }] },
        { text: 'Counted.' },
      );
    const caller = await rig.caller();
    const conversation = await chat.create(caller);
    const run = await chat.send(caller, conversation.id, 'How many companies?');
    expect(run.status).toBe('completed');
    const events = (await chat.store.eventsAfter(run.id, 0)).map((e) => e.event);
    expect(events.find((e) => e.type === 'tool_call_finished')).toMatchObject({
      name: 'count_records',
      ok: true,
    });
    // The call was made as the owner, through the MCP server: it is in the audit trail.
    const [row] = await rig.platform
      .db()
      .query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'tool.call' AND actor_id = $1 AND request_id LIKE 'mcp:%'",
        [rig.owner().id],
      );
    expect(row?.n).toBeGreaterThanOrEqual(1);
    await chat.close();
  });
});

describe('the wall-clock limit', () => {
  it('stops a run that has used its time with CHAT_TIME_LIMIT', async () => {
    const chat = createChatService({
      store: createPgChatStore(rig.platform.db()),
      connect: httpMcpConnector(mcp.url),
      modelFor: async () => rig.model(),
      limits: { maxWallClockMs: 300 },
    });
    rig
      .gemini()
      .respondWith(
        () =>
          new Promise((resolve) =>
            setTimeout(() => resolve({ functionCalls: [{ name: 'list_bases', args: {} }] }), 400),
          ),
      );
    const caller = await rig.caller();
    const conversation = await chat.create(caller);
    const run = await chat.send(caller, conversation.id, 'Keep going');
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('CHAT_TIME_LIMIT');
    await chat.close();
  });
});
