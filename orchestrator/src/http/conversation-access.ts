import {
  bearerFrom,
  isPlatformError,
  type Platform,
  PlatformError,
  type Principal,
  principalOf,
} from '@airsuite/platform-api';
import type { FastifyRequest } from 'fastify';
import type { ChatService } from '../chat-service.ts';
import { ChatError } from '../loop/errors.ts';
import type { Caller } from '../service/caller.ts';
import type { Conversation } from '../store/chat-store.ts';

const notFound = () =>
  new ChatError('CHAT_CONVERSATION_NOT_FOUND', 'no conversation with this id is visible to you');

/**
 * Who calls, as a chat caller: the authenticated principal's access to a workspace, checked
 * with `platform.workspaces.access`, plus the bearer the MCP tools will be called with.
 */
export function conversationAccess(platform: Platform, chat: ChatService) {
  function bearerOf(request: FastifyRequest): string {
    const bearer = bearerFrom(request.headers.authorization);
    if (!bearer) throw new PlatformError('AUTH_REQUIRED', 'sign in first');
    return bearer;
  }

  /** The workspace a new conversation goes to: the key's own, the one named, or the user's only one. */
  async function workspaceFor(principal: Principal, named: string | undefined): Promise<string> {
    if (named) return named;
    if (principal.kind === 'api_key') return principal.workspaceId;
    const workspaces = await platform.workspaces.list(principal);
    if (workspaces.length === 1 && workspaces[0]) return workspaces[0].id;
    throw new PlatformError(
      'AUTH_WORKSPACE_REQUIRED',
      workspaces.length === 0
        ? 'you belong to no workspace yet; create one first'
        : `you belong to ${workspaces.length} workspaces; name one with workspace_id`,
    );
  }

  return {
    async inWorkspace(request: FastifyRequest, workspaceId?: string): Promise<Caller> {
      const principal = principalOf(request);
      const access = await platform.workspaces.access(principal, await workspaceFor(principal, workspaceId));
      return { access, bearer: bearerOf(request) };
    },

    /** The caller's own conversation, or CHAT_CONVERSATION_NOT_FOUND (never "forbidden"). */
    async ofConversation(
      request: FastifyRequest,
      conversationId: string,
    ): Promise<{ caller: Caller; conversation: Conversation }> {
      const principal = principalOf(request);
      const found = await chat.store.getConversation(conversationId);
      if (!found) throw notFound();
      let caller: Caller;
      try {
        caller = {
          access: await platform.workspaces.access(principal, found.workspaceId),
          bearer: bearerOf(request),
        };
      } catch (error) {
        if (isPlatformError(error) && error.code === 'WORKSPACE_NOT_FOUND') throw notFound();
        throw error;
      }
      return { caller, conversation: await chat.conversation(caller, conversationId) };
    },

    /** Workspace ids whose conversations the caller may list. */
    async workspaceIds(request: FastifyRequest, only?: string): Promise<string[]> {
      const principal = principalOf(request);
      if (only) return [(await platform.workspaces.access(principal, only)).workspaceId];
      return (await platform.workspaces.list(principal)).map((workspace) => workspace.id);
    },
  };
}

export type ConversationAccess = ReturnType<typeof conversationAccess>;
