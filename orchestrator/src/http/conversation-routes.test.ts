import { buildPlatformApp } from '@airsuite/platform-api';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { conversationRoutes } from './conversation-routes.ts';
import { buildOrchestratorApp } from './server.ts';
import { parseSse } from './sse-frames.ts';

const rig = useChatRig();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildOrchestratorApp({ platform: rig.platform.platform(), chat: rig.chat() });
});
afterAll(async () => {
  await app?.close();
});

const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
  app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('conversations', () => {
  it('are created in the only workspace, listed newest first, and read back', async () => {
    const owner = rig.owner().auth;
    const first = await call('POST', '/v1/conversations', owner, {});
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      id: expect.stringMatching(/^cnv_/),
      workspace_id: rig.workspaceId(),
    });
    const second = await call('POST', '/v1/conversations', owner, { workspace_id: rig.workspaceId() });
    expect(second.statusCode).toBe(201);

    const listed = await call('GET', '/v1/conversations', owner);
    expect(listed.statusCode).toBe(200);
    const ids = (listed.json() as { conversations: { id: string }[] }).conversations.map((c) => c.id);
    expect(ids.indexOf(second.json().id)).toBeLessThan(ids.indexOf(first.json().id));
    const filtered = await call('GET', `/v1/conversations?workspace_id=${rig.workspaceId()}&limit=1`, owner);
    expect(filtered.json().conversations).toHaveLength(1);

    const read = await call('GET', `/v1/conversations/${first.json().id}`, owner);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({
      ...first.json(),
      turns: [],
      usage: { runs: 0, prompt_tokens: 0, output_tokens: 0, total_tokens: 0, tool_calls: 0 },
      pending_approvals: [],
    });
  });

  it('need a workspace_id from a user in several workspaces', async () => {
    const user = await rig.platform.user('multi');
    const none = await call('POST', '/v1/conversations', user.auth, {});
    expect(none.json()).toMatchObject({ code: 'AUTH_WORKSPACE_REQUIRED', status: 400 });
    const one = await rig.platform.workspace(user);
    await rig.platform.workspace(user);
    const ambiguous = await call('POST', '/v1/conversations', user.auth, {});
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json()).toMatchObject({ code: 'AUTH_WORKSPACE_REQUIRED' });
    const named = await call('POST', '/v1/conversations', user.auth, { workspace_id: one });
    expect(named.statusCode).toBe(201);
    const foreign = await call('POST', '/v1/conversations', user.auth, { workspace_id: rig.workspaceId() });
    expect(foreign.json()).toMatchObject({ code: 'WORKSPACE_NOT_FOUND', status: 404 });
  });

  it("are nobody else's: strangers, fellow members and keys get 404", async () => {
    const owner = rig.owner();
    const mine = (await call('POST', '/v1/conversations', owner.auth, {})).json().id as string;
    const stranger = await rig.platform.user('stranger');
    const member = await rig.platform.user('member');
    await rig.platform.addMember(owner, rig.workspaceId(), member, 'editor');
    const key = await rig.platform.apiKey(owner, rig.workspaceId(), 'editor');
    for (const auth of [stranger.auth, member.auth, key.auth]) {
      for (const [method, url, body] of [
        ['GET', `/v1/conversations/${mine}`, undefined],
        ['GET', `/v1/conversations/${mine}/events`, undefined],
        ['POST', `/v1/conversations/${mine}/messages`, { text: 'hi' }],
        ['POST', `/v1/conversations/${mine}/cancel`, undefined],
        ['POST', `/v1/conversations/${mine}/approvals/apr_x1`, { decision: 'approve' }],
      ] as const) {
        const response = await call(method, url, auth, body);
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json()).toMatchObject({ code: 'CHAT_CONVERSATION_NOT_FOUND' });
      }
      const listed = await call('GET', '/v1/conversations', auth);
      expect(listed.json().conversations.map((c: { id: string }) => c.id)).not.toContain(mine);
    }
    const unknown = await call('GET', '/v1/conversations/cnv_doesNotExist0000', owner.auth);
    expect(unknown.json()).toMatchObject({ code: 'CHAT_CONVERSATION_NOT_FOUND', status: 404 });
    const malformed = await call('GET', '/v1/conversations/not-an-id', owner.auth);
    expect(malformed.json()).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const anonymous = await call('GET', '/v1/conversations', {});
    expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED', status: 401 });
  });

  it('work for an API key in its own workspace', async () => {
    const key = await rig.platform.apiKey(rig.owner(), rig.workspaceId(), 'editor');
    const created = await call('POST', '/v1/conversations', key.auth, {});
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ workspace_id: rig.workspaceId() });
    rig.gemini().enqueue({ text: 'Hello from the key.' });
    const streamed = await call('POST', `/v1/conversations/${created.json().id}/messages`, key.auth, {
      text: 'Hi',
    });
    expect(streamed.statusCode).toBe(200);
    expect(parseSse(streamed.body).at(-1)).toMatchObject({
      event: 'done',
      data: { type: 'done', status: 'completed', text: 'Hello from the key.' },
    });
    const listed = await call('GET', '/v1/conversations', key.auth);
    expect(listed.json().conversations.map((c: { id: string }) => c.id)).toEqual([created.json().id]);
  });

  it("appear in the platform's OpenAPI when passed as extraRoutes", async () => {
    const platformApp = await buildPlatformApp({
      platform: rig.platform.platform(),
      extraRoutes: [conversationRoutes({ platform: rig.platform.platform(), chat: rig.chat() })],
    });
    try {
      const document = (await platformApp.inject({ method: 'GET', url: '/openapi.json' })).json();
      const messages = document.paths['/v1/conversations/{id}/messages'];
      expect(messages.post.operationId).toBe('sendMessage');
      expect(Object.keys(messages.post.responses['200'].content)).toEqual(['text/event-stream']);
      expect(document.paths['/v1/conversations/{id}/approvals/{approvalId}'].post.responses).toHaveProperty(
        '202',
      );
      expect(document.paths['/v1/workspaces']).toBeDefined();
      // The platform's auth hook guards them there too.
      const anonymous = await platformApp.inject({ method: 'GET', url: '/v1/conversations' });
      expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
      const listed = await platformApp.inject({
        method: 'GET',
        url: '/v1/conversations',
        headers: rig.owner().auth,
      });
      expect(listed.statusCode).toBe(200);
    } finally {
      await platformApp.close();
    }
  });
});
