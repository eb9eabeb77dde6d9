import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../loop/events.ts';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
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

const auth = () => rig.owner().auth;

async function newConversation(): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: auth(),
    payload: {},
  });
  expect(created.statusCode).toBe(201);
  return (created.json() as { id: string }).id;
}

const post = (url: string, payload: unknown, headers: Record<string, string> = auth()) =>
  app.inject({ method: 'POST', url, headers, payload: payload as object });

/** The stream's events; every one carries `<runId>:<seq>`, ascending. */
function eventsOf(body: string): { ids: string[]; events: RunEvent[] } {
  const parsed = parseSse(body);
  for (const frame of parsed) expect((frame.data as RunEvent).type).toBe(frame.event);
  return {
    ids: parsed.map((frame) => frame.id ?? ''),
    events: parsed.map((frame) => frame.data as RunEvent),
  };
}

const seqOf = (id: string) => Number(id.split(':').at(-1));
const deleteCall = (recordIds: string[]) => ({
  name: 'delete_records',
  args: { base_id: SAMPLE_CRM, table: 'Companies', record_ids: recordIds },
});

describe('POST /v1/conversations/{id}/messages', () => {
  it('answers with the run as typed SSE events until done', async () => {
    rig
      .gemini()
      .enqueue(
        { functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }] },
        { text: ['There are ', 'some deals.'] },
      );
    const id = await newConversation();
    const response = await post(`/v1/conversations/${id}/messages`, { text: 'How many deals?' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    const { ids, events } = eventsOf(response.body);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('run_started');
    expect(types).toEqual(
      expect.arrayContaining(['text_delta', 'tool_call_started', 'tool_call_finished', 'usage']),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed', text: 'There are some deals.' });
    const runId = (events[0] as Extract<RunEvent, { type: 'run_started' }>).run_id;
    expect(ids.every((eventId) => eventId.startsWith(`${runId}:`))).toBe(true);
    const seqs = ids.map(seqOf);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    // Reconnecting with Last-Event-ID replays only what came later.
    const resumeAfter = ids[2] ?? '';
    const again = await app.inject({
      method: 'GET',
      url: `/v1/conversations/${id}/events`,
      headers: { ...auth(), 'last-event-id': resumeAfter },
    });
    expect(again.statusCode).toBe(200);
    expect(eventsOf(again.body).ids).toEqual(ids.slice(3));

    // Without it, the latest run from the start; after the last event, nothing (204).
    const whole = await app.inject({ method: 'GET', url: `/v1/conversations/${id}/events`, headers: auth() });
    expect(eventsOf(whole.body).ids).toEqual(ids);
    const nothing = await app.inject({
      method: 'GET',
      url: `/v1/conversations/${id}/events`,
      headers: { ...auth(), 'last-event-id': ids.at(-1) ?? '' },
    });
    expect(nothing.statusCode).toBe(204);

    // The people's view of the same conversation.
    const view = await app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: auth() });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      id,
      title: 'How many deals?',
      turns: [
        { role: 'user', text: 'How many deals?' },
        {
          role: 'assistant',
          parts: [
            { type: 'tool_call', name: 'count_records', status: 'ok', arguments: { table: 'Deals' } },
            { type: 'text', text: 'There are some deals.' },
          ],
        },
      ],
      latest_run: { id: runId, status: 'completed', steps: 2, tool_calls: 1 },
      usage: { runs: 1, tool_calls: 1 },
      pending_approvals: [],
    });
  });

  it('rejects a bad Last-Event-ID with VALIDATION_FAILED', async () => {
    const id = await newConversation();
    for (const header of ['garbage', 'run_doesNotExist0000:3']) {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/conversations/${id}/events`,
        headers: { ...auth(), 'last-event-id': header },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const none = await app.inject({ method: 'GET', url: `/v1/conversations/${id}/events`, headers: auth() });
    expect(none.statusCode).toBe(204);
  });

  it('validates the message', async () => {
    const id = await newConversation();
    for (const payload of [
      { text: '' },
      { text: '   ' },
      { text: 'x'.repeat(9000) },
      { text: 42 },
      {},
      { text: ['a'] },
    ]) {
      const response = await post(`/v1/conversations/${id}/messages`, payload);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    }
  });
});

describe('approvals over HTTP', () => {
  it('pauses for delete_records, refuses a second message, and resumes on approve', async () => {
    rig
      .gemini()
      .enqueue({ functionCalls: [deleteCall(['recDoesNotExist00'])] }, { text: 'I tried to delete it.' });
    const id = await newConversation();
    const paused = await post(`/v1/conversations/${id}/messages`, { text: 'Delete that company' });
    const { ids, events } = eventsOf(paused.body);
    const requested = events.find((event) => event.type === 'approval_requested');
    expect(requested).toMatchObject({ name: 'delete_records', reason: 'destructive' });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'awaiting_approval' });

    const second = await post(`/v1/conversations/${id}/messages`, { text: 'Hello?' });
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json()).toMatchObject({ code: 'CHAT_RUN_IN_PROGRESS', status: 409 });

    const view = await app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: auth() });
    const approvalId = (requested as Extract<RunEvent, { type: 'approval_requested' }>).approval_id;
    expect(view.json()).toMatchObject({
      latest_run: { status: 'awaiting_approval' },
      pending_approvals: [{ id: approvalId, tool: 'delete_records', reason: 'destructive' }],
    });

    const resumed = await post(`/v1/conversations/${id}/approvals/${approvalId}`, { decision: 'approve' });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.headers['content-type']).toBe('text/event-stream');
    const after = eventsOf(resumed.body);
    expect(after.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['approval_decided', 'tool_call_started', 'tool_call_finished']),
    );
    expect(after.events[0]).toMatchObject({
      type: 'approval_decided',
      approval_id: approvalId,
      decision: 'approve',
    });
    expect(after.events.at(-1)).toMatchObject({
      type: 'done',
      status: 'completed',
      text: 'I tried to delete it.',
    });
    // The same run, continuing after the paused stream's ids.
    expect(seqOf(after.ids[0] ?? '')).toBeGreaterThan(seqOf(ids.at(-1) ?? ''));
    expect(after.ids[0]?.split(':')[0]).toBe(ids[0]?.split(':')[0]);

    const again = await post(`/v1/conversations/${id}/approvals/${approvalId}`, { decision: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CHAT_APPROVAL_ALREADY_DECIDED' });
    const unknown = await post(`/v1/conversations/${id}/approvals/apr_doesNotExist0000`, {
      decision: 'approve',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CHAT_APPROVAL_NOT_FOUND' });
  });

  it('denies with a reason the model reads, and answers 202 while others are pending', async () => {
    rig
      .gemini()
      .enqueue(
        { functionCalls: [deleteCall(['recDoesNotExist01']), deleteCall(['recDoesNotExist02'])] },
        { text: 'Understood, nothing deleted.' },
      );
    const id = await newConversation();
    const paused = eventsOf((await post(`/v1/conversations/${id}/messages`, { text: 'Delete both' })).body);
    const approvals = paused.events.flatMap((event) =>
      event.type === 'approval_requested' ? [event.approval_id] : [],
    );
    expect(approvals).toHaveLength(2);

    const first = await post(`/v1/conversations/${id}/approvals/${approvals[0]}`, {
      decision: 'deny',
      reason: 'keep it',
    });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ status: 'awaiting_approval', pending: 1 });

    const last = await post(`/v1/conversations/${id}/approvals/${approvals[1]}`, {
      decision: 'deny',
      reason: 'keep it too',
    });
    expect(last.statusCode).toBe(200);
    const { events } = eventsOf(last.body);
    expect(events[0]).toMatchObject({ type: 'approval_decided', decision: 'deny', reason: 'keep it too' });
    expect(events.some((event) => event.type === 'tool_call_started')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const responses = rig.gemini().requests.at(-1)?.body.contents?.at(-1)?.parts ?? [];
    expect(responses.map((part) => part.functionResponse?.response)).toEqual([
      {
        error: expect.objectContaining({ code: 'USER_DENIED', message: expect.stringContaining('keep it') }),
      },
      {
        error: expect.objectContaining({
          code: 'USER_DENIED',
          message: expect.stringContaining('keep it too'),
        }),
      },
    ]);
  });

  it('edit needs arguments, and runs the edited call', async () => {
    rig
      .gemini()
      .enqueue({ functionCalls: [deleteCall(['recDoesNotExist03'])] }, { text: 'Edited and done.' });
    const id = await newConversation();
    const paused = eventsOf((await post(`/v1/conversations/${id}/messages`, { text: 'Delete it' })).body);
    const requested = paused.events.find((event) => event.type === 'approval_requested');
    const approvalId = (requested as Extract<RunEvent, { type: 'approval_requested' }>).approval_id;

    for (const payload of [
      { decision: 'edit' },
      { decision: 'maybe' },
      { decision: 'edit', arguments: 'x' },
      {},
    ]) {
      const refused = await post(`/v1/conversations/${id}/approvals/${approvalId}`, payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }

    const edited = deleteCall(['recDoesNotExist04']).args;
    const resumed = await post(`/v1/conversations/${id}/approvals/${approvalId}`, {
      decision: 'edit',
      arguments: edited,
    });
    expect(resumed.statusCode).toBe(200);
    const { events } = eventsOf(resumed.body);
    expect(events.find((event) => event.type === 'tool_call_started')).toMatchObject({ arguments: edited });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  });

  it('cancel ends a run waiting for approval', async () => {
    rig.gemini().enqueue({ functionCalls: [deleteCall(['recDoesNotExist05'])] });
    const id = await newConversation();
    const paused = eventsOf((await post(`/v1/conversations/${id}/messages`, { text: 'Delete it' })).body);
    const cancelled = await post(`/v1/conversations/${id}/cancel`, undefined);
    expect(cancelled.statusCode).toBe(202);
    expect(cancelled.json()).toEqual({ cancelled: true });
    const rest = await app.inject({
      method: 'GET',
      url: `/v1/conversations/${id}/events`,
      headers: { ...auth(), 'last-event-id': paused.ids.at(-1) ?? '' },
    });
    expect(eventsOf(rest.body).events).toEqual([
      { type: 'error', code: 'CHAT_CANCELLED', message: expect.any(String) },
      { type: 'done', status: 'cancelled', text: '' },
    ]);
    const idle = await post(`/v1/conversations/${id}/cancel`, undefined);
    expect(idle.json()).toEqual({ cancelled: false });
  });
});
