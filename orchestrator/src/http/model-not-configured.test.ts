import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { buildOrchestratorApp } from './server.ts';
import { parseSse } from './sse-frames.ts';

const rig = useChatRig({ withModel: false });
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildOrchestratorApp({ platform: rig.platform.platform(), chat: rig.chat() });
});
afterAll(async () => {
  await app?.close();
});

describe('without a Gemini key', () => {
  it('a message still streams (HTTP 200): error CHAT_MODEL_NOT_CONFIGURED, then done', async () => {
    const auth = rig.owner().auth;
    const created = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      headers: auth,
      payload: {},
    });
    const response = await app.inject({
      method: 'POST',
      url: `/v1/conversations/${created.json().id}/messages`,
      headers: auth,
      payload: { text: 'Hello' },
    });
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body).map((frame) => frame.data);
    expect(events.map((event) => (event as { type: string }).type)).toEqual(['run_started', 'error', 'done']);
    expect(events[1]).toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
    expect(events[2]).toMatchObject({ status: 'failed' });
  });
});
