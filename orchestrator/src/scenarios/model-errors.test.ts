import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { ofType } from './scenario-kit.ts';

// The rig's model retries 3 times after the first attempt, with a 5 ms backoff.
const rig = useChatRig();

const rateLimited = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded.' } };
const internal = { error: { code: 500, status: 'INTERNAL', message: 'Internal error.' } };
const unavailable = { error: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } };

/** Sends one message and returns its events and the number of requests Gemini received. */
async function ask(text: string) {
  const gemini = rig.gemini();
  const before = gemini.requests.length;
  const conversation = await rig.chat().create(await rig.caller());
  const events = await rig.send(conversation.id, text);
  return { events, attempts: gemini.requests.length - before, remaining: gemini.remaining() };
}

describe('Gemini errors', () => {
  it('retries a 429 (honouring its retry delay) and then answers', async () => {
    rig.gemini().enqueue({ ...rateLimited, retryAfterSeconds: 0.05 }, { text: 'Answered after a wait.' });
    const { events, attempts } = await ask('Hello');
    expect(attempts).toBe(2);
    expect(ofType(events, 'error')).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      status: 'completed',
      text: 'Answered after a wait.',
    });
  });

  it('retries 500s with backoff and then answers', async () => {
    rig.gemini().enqueue(internal, internal, { text: 'Answered on the third try.' });
    const { events, attempts } = await ask('Hello');
    expect(attempts).toBe(3);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  });

  it('reports CHAT_MODEL_RATE_LIMITED when 429s outlast the retries', async () => {
    rig.gemini().enqueue(rateLimited, rateLimited, rateLimited, rateLimited);
    const { events, attempts, remaining } = await ask('Hello');
    expect(attempts).toBe(4);
    expect(remaining).toBe(0);
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'CHAT_MODEL_RATE_LIMITED' })]);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
  });

  it('reports CHAT_MODEL_UNAVAILABLE when 5xx outlast the retries', async () => {
    rig.gemini().enqueue(unavailable, internal, unavailable, unavailable);
    const { events, attempts } = await ask('Hello');
    expect(attempts).toBe(4);
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'CHAT_MODEL_UNAVAILABLE' })]);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
  });

  it('does not retry a stream that failed after its text was shown', async () => {
    rig.gemini().enqueue({ errorMidStream: internal.error, textBefore: 'The deals are' });
    const { events, attempts } = await ask('Tell me about the deals');
    expect(attempts).toBe(1);
    expect(
      ofType(events, 'text_delta')
        .map((e) => e.text)
        .join(''),
    ).toBe('The deals are');
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'CHAT_MODEL_UNAVAILABLE' })]);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
  });
});
