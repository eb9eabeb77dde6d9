import { describe, expect, it } from 'vitest';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';

const rig = useChatRig();

describe('a read question', () => {
  it('is answered with a tool call whose result reaches the model', async () => {
    const gemini = rig.gemini();
    gemini.enqueue(
      {
        functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }],
        thoughtSignature: 'sig-1',
      },
      { text: ['There are ', 'deals in the CRM.'] },
    );
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'How many deals are there?');
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run_started');
    expect(types).toContain('tool_call_started');
    const finished = events.find((e) => e.type === 'tool_call_finished');
    expect(finished).toMatchObject({ name: 'count_records', ok: true });
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      status: 'completed',
      text: 'There are deals in the CRM.',
    });
    // The second model request echoed the model turn verbatim (thought signature included)
    // and answered the call under `output`.
    const second = gemini.requests.at(-1);
    const contents = second?.body.contents ?? [];
    const modelTurn = contents.at(-2);
    expect(modelTurn?.parts?.[0]).toMatchObject({
      thoughtSignature: 'sig-1',
      functionCall: { name: 'count_records' },
    });
    const response = contents.at(-1)?.parts?.[0]?.functionResponse;
    expect(response).toMatchObject({ name: 'count_records', response: { output: { table: 'Deals' } } });
    expect(events.findLast((e) => e.type === 'usage')).toMatchObject({ steps: 2, tool_calls: 1 });
  });
});
