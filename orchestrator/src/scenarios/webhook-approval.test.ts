import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { answersIn, ofType } from './scenario-kit.ts';

// The chat's owner is an admin: the webhook tools are served. Creating one sends workspace data
// to a URL outside AirSuite, so the tool says it is destructive and the chat asks first.
const rig = useChatRig();

const endpoints = () =>
  rig.platform.db().query('SELECT id FROM webhook_endpoints WHERE workspace_id = $1', [rig.workspaceId()]);

async function pausedCreate(args: Record<string, unknown>) {
  rig.gemini().enqueue({ functionCalls: [{ name: 'create_webhook', args }] });
  const caller = await rig.caller();
  const conversation = await rig.chat().create(caller);
  const events = await rig.send(conversation.id, 'Send record changes to our server');
  const [approval] = ofType(events, 'approval_requested');
  if (!approval) throw new Error(`no approval requested: ${JSON.stringify(events)}`);
  return { caller, conversation, events, approval };
}

describe('create_webhook in the chat', () => {
  it('waits for the person with the exact arguments; denied, nothing is created', async () => {
    const args = { url: 'https://hooks.example.com/airsuite', event_types: ['record.*'] };
    const { caller, conversation, events, approval } = await pausedCreate(args);
    expect(approval).toMatchObject({ name: 'create_webhook', arguments: args, reason: 'destructive' });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'awaiting_approval' });
    expect(await endpoints()).toEqual([]);

    rig.gemini().enqueue({ text: 'No webhook, then.' });
    const decided = await rig.chat().decide(caller, conversation.id, approval.approval_id, {
      decision: 'deny',
    });
    expect(decided.run.status).toBe('completed');
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer).toMatchObject({ name: 'create_webhook', response: { error: { code: 'USER_DENIED' } } });
    expect(await endpoints()).toEqual([]);
  });

  it('approved, it runs: a URL the platform refuses reaches the model as an error it can act on', async () => {
    const args = { url: 'http://127.0.0.1:8999/hooks', event_types: ['*'] };
    const { caller, conversation, approval } = await pausedCreate(args);
    rig.gemini().enqueue({ text: 'That address is not allowed.' });
    const decided = await rig.chat().decide(caller, conversation.id, approval.approval_id, {
      decision: 'approve',
    });
    expect(decided.run.status).toBe('completed');
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer).toMatchObject({
      name: 'create_webhook',
      response: { error: { code: 'TOOL_INVALID_INPUT' } },
    });
    expect(JSON.stringify(answer?.response.error)).toContain('public addresses');
    expect(await endpoints()).toEqual([]);
  });

  it('reading the webhooks and sending a test event run without asking', async () => {
    rig.gemini().enqueue({
      functionCalls: [
        { name: 'list_webhooks', args: {} },
        { name: 'send_test_webhook', args: { webhook_id: 'whk_doesnotexist' } },
      ],
    });
    rig.gemini().enqueue({ text: 'There are none yet.' });
    const caller = await rig.caller();
    const conversation = await rig.chat().create(caller);
    const events = await rig.send(conversation.id, 'Which webhooks do we have? Test one.');
    expect(ofType(events, 'approval_requested')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const answers = answersIn(rig.gemini().requests.at(-1));
    expect(answers).toEqual([
      expect.objectContaining({ name: 'list_webhooks', response: { output: { webhooks: [] } } }),
      expect.objectContaining({
        name: 'send_test_webhook',
        response: { error: expect.objectContaining({ code: 'TOOL_INVALID_INPUT' }) },
      }),
    ]);
    expect(JSON.stringify(answers[1]?.response)).toContain('list_webhooks');
  });
});
