import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';

const rig = useChatRig({ withModel: false });

describe('no Gemini key', () => {
  it('refuses to start a conversation with CHAT_MODEL_NOT_CONFIGURED, and none is made', async () => {
    const caller = await rig.caller();
    await expect(rig.chat().create(caller)).rejects.toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
    const actor = { type: 'user' as const, id: rig.owner().id };
    expect(await rig.chat().store.listConversations([rig.workspaceId()], actor, 10)).toEqual([]);
  });

  it('refuses a message before its run exists, and no answer is made up', async () => {
    const owner = rig.owner();
    // Made while the workspace had a model (its key since removed).
    const conversation = await rig.chat().store.createConversation({
      workspaceId: rig.workspaceId(),
      actor: { type: 'user', id: owner.id },
    });
    await expect(
      rig.chat().send(await rig.caller(), conversation.id, 'How many deals?'),
    ).rejects.toMatchObject({ code: 'CHAT_MODEL_NOT_CONFIGURED' });
    expect(await rig.chat().store.latestRun(conversation.id)).toBeUndefined();
    expect(rig.gemini().requests).toHaveLength(0);
  });
});
