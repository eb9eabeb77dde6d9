import type { Principal } from '@airsuite/platform-api';
import { ChatError } from '../loop/errors.ts';
import type { ChatStore, Conversation } from '../store/chat-store.ts';
import type { Caller } from './caller.ts';

/** Whom a conversation belongs to: the user, or the API key, that started it. */
export const actorOf = (principal: Principal): Conversation['actor'] =>
  principal.kind === 'user'
    ? { type: 'user', id: principal.userId }
    : { type: 'api_key', id: principal.keyId };

/**
 * The caller's own conversation in their workspace; anyone else's (or one in another
 * workspace) is CHAT_CONVERSATION_NOT_FOUND, exactly like one that does not exist.
 */
export async function ownConversation(
  store: ChatStore,
  caller: Caller,
  conversationId: string,
): Promise<Conversation> {
  const conversation = await store.getConversation(conversationId);
  const actor = actorOf(caller.access.principal);
  if (
    !conversation ||
    conversation.workspaceId !== caller.access.workspaceId ||
    conversation.actor.type !== actor.type ||
    conversation.actor.id !== actor.id
  ) {
    throw new ChatError('CHAT_CONVERSATION_NOT_FOUND', 'no conversation with this id is visible to you');
  }
  return conversation;
}
