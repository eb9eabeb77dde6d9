import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { buildOrchestratorApp } from './server.ts';

// Without a model (no GEMINI_API_KEY, no workspace key) nothing could be answered: the chat API
// refuses before it makes anything, so no attempt leaves a dead conversation or run behind.

const rig = useChatRig({ withModel: false });
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildOrchestratorApp({ platform: rig.platform.platform(), chat: rig.chat() });
});
afterAll(async () => {
  await app?.close();
});

const rows = async (table: 'conversations' | 'runs') => {
  const [row] = await rig.platform
    .db()
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [
      rig.workspaceId(),
    ]);
  return row?.n;
};

describe('the chat API without a model', () => {
  it('refuses to start a conversation with 503 CHAT_MODEL_NOT_CONFIGURED, and none is made', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      headers: rig.owner().auth,
      payload: { workspace_id: rig.workspaceId() },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
    expect(response.json().detail).toContain('GEMINI_API_KEY');
    expect(await rows('conversations')).toBe(0);
  });

  it('refuses a message in a conversation made while it had one with 503, and makes no run', async () => {
    const earlier = await rig.chat().store.createConversation({
      workspaceId: rig.workspaceId(),
      actor: { type: 'user', id: rig.owner().id },
    });
    const response = await app.inject({
      method: 'POST',
      url: `/v1/conversations/${earlier.id}/messages`,
      headers: rig.owner().auth,
      payload: { text: 'Hello' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
    expect(await rows('runs')).toBe(0);
    expect(rig.gemini().requests).toHaveLength(0);
  });
});
