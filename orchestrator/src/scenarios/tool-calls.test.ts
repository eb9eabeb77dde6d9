import { lastFunctionResponses } from '@airsuite/evals/fake-gemini';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RUN_LIMITS } from '../loop/run-options.ts';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
import { answersIn, clearFaults, ofType, slowEmulator } from './scenario-kit.ts';

const rig = useChatRig();

afterEach(() => clearFaults(rig));

const indexOf = (events: { type: string; call_id?: string }[], type: string, callSuffix: string) =>
  events.findIndex((e) => e.type === type && e.call_id?.endsWith(callSuffix));

describe('parallel function calls', () => {
  it('runs a turn of reads concurrently and answers them in one user turn, in call order', async () => {
    slowEmulator(rig, 150);
    const gemini = rig.gemini();
    gemini.enqueue(
      {
        functionCalls: [
          { name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } },
          { name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Contacts' } },
          { name: 'list_records', args: { base_id: SAMPLE_CRM, table: 'Companies', page_size: 2 } },
        ],
      },
      { text: 'Deals, contacts and two companies.' },
    );
    const before = gemini.requests.length;
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'Give me an overview of the CRM');

    // All three started before any finished: they overlapped.
    const started = events.flatMap((e, i) => (e.type === 'tool_call_started' ? [i] : []));
    const finished = events.flatMap((e, i) => (e.type === 'tool_call_finished' ? [i] : []));
    expect(started).toHaveLength(3);
    expect(finished).toHaveLength(3);
    expect(Math.max(...started)).toBeLessThan(Math.min(...finished));
    expect(ofType(events, 'tool_call_finished').every((e) => e.ok)).toBe(true);

    expect(gemini.requests.length - before).toBe(2);
    expect(gemini.remaining()).toBe(0);
    const contents = gemini.requests.at(-1)?.body.contents ?? [];
    const modelTurn = contents.at(-2);
    expect(modelTurn?.role).toBe('model');
    expect(modelTurn?.parts?.filter((p) => p.functionCall)).toHaveLength(3);
    const answer = contents.at(-1);
    expect(answer?.role).toBe('user');
    expect(answer?.parts?.map((p) => p.functionResponse?.name)).toEqual([
      'count_records',
      'count_records',
      'list_records',
    ]);
    expect(answer?.parts?.[0]?.functionResponse?.response).toMatchObject({ output: { table: 'Deals' } });
    expect(answer?.parts?.[1]?.functionResponse?.response).toMatchObject({ output: { table: 'Contacts' } });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  });

  it('runs two writes to one table in order while a read runs alongside', async () => {
    slowEmulator(rig, 150);
    const gemini = rig.gemini();
    const create = (Name: string) => ({
      name: 'create_records',
      args: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name } }] },
    });
    gemini.enqueue(
      {
        functionCalls: [
          create('Lane First Ltd'),
          { name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Companies' } },
          create('Lane Second Ltd'),
        ],
      },
      { text: 'Created both.' },
    );
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'Add two companies and count the deals');

    const firstWriteEnd = indexOf(events, 'tool_call_finished', ':1:0');
    const secondWriteStart = indexOf(events, 'tool_call_started', ':1:2');
    const readStart = indexOf(events, 'tool_call_started', ':1:1');
    expect(firstWriteEnd).toBeGreaterThan(-1);
    // Same table: the second write waits for the first.
    expect(secondWriteStart).toBeGreaterThan(firstWriteEnd);
    // The read did not wait for the writes.
    expect(readStart).toBeLessThan(firstWriteEnd);
    expect(ofType(events, 'approval_requested')).toHaveLength(0);
    expect(ofType(events, 'tool_call_finished').every((e) => e.ok)).toBe(true);
    const answers = answersIn(gemini.requests.at(-1)).map((r) => r.name);
    expect(answers).toEqual(['create_records', 'count_records', 'create_records']);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  });
});

describe('a large tool result', () => {
  it('is stored behind a handle that fetch_tool_result reads', async () => {
    const gemini = rig.gemini();
    gemini.respondWith((request) => {
      const [response] = lastFunctionResponses(request);
      if (!response) {
        return {
          functionCalls: [
            { name: 'list_records', args: { base_id: SAMPLE_CRM, table: 'Deals', page_size: 100 } },
          ],
        };
      }
      const output = response.response.output as { result_handle?: string; text?: string };
      if (response.name === 'list_records' && output.result_handle) {
        return {
          functionCalls: [
            { name: 'fetch_tool_result', args: { result_handle: output.result_handle, offset: 7600 } },
          ],
        };
      }
      return { text: 'That is the rest of the deals.' };
    });
    const before = gemini.requests.length;
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'List all the deals');

    const requests = gemini.requests.slice(before);
    expect(requests).toHaveLength(3);
    const stored = answersIn(requests[1])[0]?.response.output as {
      truncated: boolean;
      result_handle: string;
      total_chars: number;
      preview: string;
    };
    const { maxResultChars } = DEFAULT_RUN_LIMITS;
    expect(stored).toMatchObject({ truncated: true, result_handle: expect.stringMatching(/\S/) });
    expect(stored.total_chars).toBeGreaterThan(maxResultChars);
    expect(stored.preview.length).toBeLessThanOrEqual(maxResultChars);

    const fetched = answersIn(requests[2])[0];
    expect(fetched?.name).toBe('fetch_tool_result');
    const page = fetched?.response.output as { offset: number; text: string; next_offset: number | null };
    expect(page.offset).toBe(7600);
    expect(page.text.length).toBe(Math.min(8000, stored.total_chars - 7600));
    expect(page.next_offset).toBe(stored.total_chars > 15_600 ? 15_600 : null);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  });
});
