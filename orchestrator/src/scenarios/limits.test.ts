import { describe, expect, it } from 'vitest';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
import { ofType } from './scenario-kit.ts';

const rig = useChatRig({ limits: { maxSteps: 3 } });

const monthStart = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
};

describe('the step limit', () => {
  it('stops a model that keeps calling tools after maxSteps model calls', async () => {
    const gemini = rig.gemini();
    gemini.respondWith(() => ({
      functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }],
    }));
    const before = gemini.requests.length;
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'Keep counting');
    expect(gemini.requests.length - before).toBe(3);
    expect(ofType(events, 'tool_call_finished')).toHaveLength(3);
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'CHAT_STEP_LIMIT' })]);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
    expect(
      await rig.chat().store.getRun(events[0]?.type === 'run_started' ? events[0].run_id : ''),
    ).toMatchObject({ status: 'failed', errorCode: 'CHAT_STEP_LIMIT', steps: 3 });
  });
});

describe('token budgets', () => {
  it('stop a run that spends its turnTokenBudget before the next model call', async () => {
    const gemini = rig.gemini();
    gemini.respondWith(() => ({
      functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Contacts' } }],
    }));
    // One request carries the tool declarations alone: far more than 500 tokens.
    const chat = rig.newChat({ limits: { turnTokenBudget: 500 } });
    const before = gemini.requests.length;
    const caller = await rig.caller();
    const conversation = await chat.create(caller);
    const run = await chat.send(caller, conversation.id, 'Count the contacts');
    expect(gemini.requests.length - before).toBe(1);
    expect(run).toMatchObject({ status: 'failed', errorCode: 'CHAT_TURN_TOKEN_BUDGET' });
    const events = (await chat.store.eventsAfter(run.id, 0)).map((e) => e.event);
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'CHAT_TURN_TOKEN_BUDGET' })]);
  });

  it('refuse every message once the monthly budget is used up, without calling Gemini', async () => {
    const gemini = rig.gemini();
    const store = rig.chat().store;
    const workspaceId = rig.workspaceId();
    const used = await store.tokensUsedSince(workspaceId, monthStart());
    // Room for one more message: it passes the budget, and the next one is refused.
    await store.setMonthlyTokenBudget(workspaceId, used + 10);
    try {
      gemini.enqueue({ text: 'This answer passes the budget.' });
      const conversation = await rig.chat().create(await rig.caller());
      const last = (await rig.send(conversation.id, 'Hello')).at(-1);
      expect(last).toMatchObject({ type: 'done', status: 'completed' });
      expect(await store.tokensUsedSince(workspaceId, monthStart())).toBeGreaterThan(used + 10);

      const before = gemini.requests.length;
      const events = await rig.send(conversation.id, 'And again');
      expect(gemini.requests.length).toBe(before);
      expect(events.map((e) => e.type)).toEqual(['run_started', 'error', 'done']);
      expect(events[1]).toMatchObject({ code: 'CHAT_MONTHLY_BUDGET_EXHAUSTED' });
      expect(events[2]).toMatchObject({ status: 'failed' });
    } finally {
      await store.setMonthlyTokenBudget(workspaceId, null);
    }
  });
});
