import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';

const rig = useChatRig({ withModel: false });

describe('no Gemini key', () => {
  it('fails the run with CHAT_MODEL_NOT_CONFIGURED, and no answer is made up', async () => {
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'How many deals are there?');
    expect(events.map((e) => e.type)).toEqual(['run_started', 'error', 'done']);
    expect(events[1]).toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
    expect(events[2]).toMatchObject({ status: 'failed', text: '' });
    expect(rig.gemini().requests).toHaveLength(0);
    const run = await rig.chat().store.latestRun(conversation.id);
    expect(run).toMatchObject({ status: 'failed', errorCode: 'CHAT_MODEL_NOT_CONFIGURED' });
    // Nothing is left running: the conversation takes the next message (and says the same).
    const again = await rig.send(conversation.id, 'Hello?');
    expect(again[1]).toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
  });
});
