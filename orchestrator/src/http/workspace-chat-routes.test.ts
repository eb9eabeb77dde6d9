import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { buildOrchestratorApp } from './server.ts';

const rig = useChatRig();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildOrchestratorApp({ platform: rig.platform.platform(), chat: rig.chat() });
});
afterAll(() => app.close());

describe("a workspace's chat usage and settings", () => {
  it('counts this month’s runs and tokens for every member', async () => {
    rig.gemini().enqueue({ text: 'Hello.' });
    const conversation = await rig.chat().create(await rig.caller());
    await rig.send(conversation.id, 'Hi');
    const response = await app.inject({
      method: 'GET',
      url: `/v1/workspaces/${rig.workspaceId()}/chat`,
      headers: rig.owner().auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      usage: { runs: expect.any(Number), tool_calls: expect.any(Number) },
      monthly_token_budget: null,
      gemini_key: 'deployment_default',
    });
    expect(response.json().usage.total_tokens).toBeGreaterThan(0);
  });

  it('lets an admin set a budget (audited) and refuses a viewer with FORBIDDEN', async () => {
    const set = await app.inject({
      method: 'PATCH',
      url: `/v1/workspaces/${rig.workspaceId()}/chat`,
      headers: rig.owner().auth,
      payload: { monthly_token_budget: 50_000 },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().monthly_token_budget).toBe(50_000);
    const [row] = await rig.platform
      .db()
      .query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'chat_settings.update' AND workspace_id = $1",
        [rig.workspaceId()],
      );
    expect(row?.n).toBe(1);

    const viewer = await rig.platform.user('viewer');
    await rig.platform.addMember(rig.owner(), rig.workspaceId(), viewer, 'viewer');
    const refused = await app.inject({
      method: 'PATCH',
      url: `/v1/workspaces/${rig.workspaceId()}/chat`,
      headers: viewer.auth,
      payload: { monthly_token_budget: null },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('FORBIDDEN');
    await rig.chat().store.setMonthlyTokenBudget(rig.workspaceId(), null);
  });

  it('refuses a budget below 1,000 tokens with VALIDATION_FAILED and a stranger with 404', async () => {
    const small = await app.inject({
      method: 'PATCH',
      url: `/v1/workspaces/${rig.workspaceId()}/chat`,
      headers: rig.owner().auth,
      payload: { monthly_token_budget: 5 },
    });
    expect(small.json().code).toBe('VALIDATION_FAILED');
    const stranger = await rig.platform.user('stranger');
    const hidden = await app.inject({
      method: 'GET',
      url: `/v1/workspaces/${rig.workspaceId()}/chat`,
      headers: stranger.auth,
    });
    expect(hidden.json().code).toBe('WORKSPACE_NOT_FOUND');
  });
});
