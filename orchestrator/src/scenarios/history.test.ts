import { estimatePromptTokens } from '@airsuite/evals/fake-gemini';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../loop/events.ts';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';

const HISTORY_BUDGET = 3_000;
const rig = useChatRig({ limits: { historyTokenBudget: HISTORY_BUDGET } });

/** About 600 tokens of text. */
const big = (label: string) => `${label}: ${'lorem ipsum dolor sit amet '.repeat(90)}`;

describe('a long conversation', () => {
  it('sends a bounded window that starts at a user message, while the store keeps everything', async () => {
    const gemini = rig.gemini();
    const caller = await rig.caller();
    const conversation = await rig.chat().create(caller);
    const first = gemini.requests.length;
    for (let turn = 1; turn <= 20; turn++) {
      // Every fourth answer calls a tool first, so windows could start at a functionResponse.
      if (turn % 4 === 0) {
        gemini.enqueue({
          functionCalls: [
            {
              name: 'count_records',
              args: { base_id: SAMPLE_CRM, table: 'Deals', filter: { Owner: `t${turn}` } },
            },
          ],
        });
      }
      gemini.enqueue({ text: [big(`answer ${turn}`)] });
      const run = await rig.chat().send(caller, conversation.id, big(`question ${turn}`));
      expect(run.status).toBe('completed');
    }
    const requests = gemini.requests.slice(first);
    expect(requests).toHaveLength(25);
    const fixed = estimatePromptTokens({ ...requests[0]?.body, contents: [] });
    // The budget plus a little for the role fields the loop's own estimate leaves out.
    const ceiling = fixed + HISTORY_BUDGET + 100;
    for (const request of requests) {
      const contents = request.body.contents ?? [];
      expect(estimatePromptTokens(request.body)).toBeLessThanOrEqual(ceiling);
      expect(contents[0]?.role).toBe('user');
      expect(contents[0]?.parts?.some((part) => part.functionResponse)).toBe(false);
      expect(typeof contents[0]?.parts?.[0]?.text).toBe('string');
    }
    // The conversation outgrew the window long ago …
    const history = await rig.chat().store.history(conversation.id);
    expect(history).toHaveLength(20 * 2 + 5 * 2);
    const all = Math.ceil(JSON.stringify(history.map((turn) => turn.content)).length / 4);
    expect(all).toBeGreaterThan(3 * HISTORY_BUDGET);
    // … and the last request still holds the newest question, its call and the call's answer.
    const last = requests.at(-1)?.body.contents ?? [];
    expect(last.at(-3)?.parts?.[0]?.text).toBe(big('question 20'));
    expect(last.at(-1)?.parts?.[0]?.functionResponse?.name).toBe('count_records');
    expect(last.length).toBeLessThan(history.length);
  });
});

describe('run events', () => {
  it('persist in order with seq 1..n, and subscribe replays only those after k', async () => {
    rig
      .gemini()
      .enqueue(
        { functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Companies' } }] },
        { text: ['Counted ', 'the companies.'] },
      );
    const caller = await rig.caller();
    const conversation = await rig.chat().create(caller);
    const live: StoredEvent[] = [];
    const run = await rig.chat().send(caller, conversation.id, 'How many companies?', (started) => {
      void rig.chat().subscribe(started.id, 0, (event) => live.push(event));
    });
    const stored = await rig.chat().store.eventsAfter(run.id, 0);
    const n = stored.length;
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(stored.map((e) => e.id)).toEqual(stored.map((e) => `${run.id}:${e.seq}`));
    expect(stored.map((e) => e.event.type)).toEqual([
      'run_started',
      'usage',
      'tool_call_started',
      'tool_call_finished',
      'text_delta',
      'text_delta',
      'usage',
      'done',
    ]);
    // The live subscriber saw each event once, in order.
    expect(live.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));

    const k = 3;
    const replayed: StoredEvent[] = [];
    const unsubscribe = await rig.chat().subscribe(run.id, k, (event) => replayed.push(event));
    unsubscribe();
    expect(replayed).toEqual(stored.slice(k));
  });
});
