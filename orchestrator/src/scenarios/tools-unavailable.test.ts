import { McpAuthError } from '@airsuite/mcp-server';
import { describe, expect, it } from 'vitest';
import { createChatService, type McpConnector } from '../chat-service.ts';
import { createPgChatStore } from '../store/pg-chat-store.ts';
import { useChatRig } from '../testing/chat-rig.ts';

const rig = useChatRig();

async function answerWith(connect: McpConnector) {
  const chat = createChatService({
    store: createPgChatStore(rig.platform.db()),
    connect,
    modelFor: async () => rig.model(),
  });
  const caller = await rig.caller();
  const conversation = await chat.create(caller);
  const run = await chat.send(caller, conversation.id, 'How many deals?');
  const events = (await chat.store.eventsAfter(run.id, 0)).map((stored) => stored.event);
  await chat.close();
  return { run, events };
}

describe('when the MCP tools cannot be reached', () => {
  it("ends the run with CHAT_TOOLS_UNAVAILABLE and the MCP server's own code", async () => {
    const { run, events } = await answerWith(async () => {
      throw new McpAuthError(401, 'AUTH_API_KEY_REVOKED', 'this API key has been revoked');
    });
    expect(run.status).toBe('failed');
    expect(events.at(-2)).toEqual({
      type: 'error',
      code: 'CHAT_TOOLS_UNAVAILABLE',
      message: 'the AirSuite tools could not be listed: AUTH_API_KEY_REVOKED: this API key has been revoked',
    });
    // The model was never asked: there was nothing it could have done.
    expect(rig.gemini().requests).toHaveLength(0);
  });

  it('says to try again, and nothing of the low-level cause, when the failure has no code', async () => {
    const { events } = await answerWith(async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8001 (token pat123.secret)');
    });
    const error = events.find((event) => event.type === 'error');
    expect(error).toEqual({
      type: 'error',
      code: 'CHAT_TOOLS_UNAVAILABLE',
      message: 'the AirSuite tools could not be listed; try again',
    });
  });
});
