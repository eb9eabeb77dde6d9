import { type Database, newId } from '@airsuite/platform-api';
import type { ChatStore } from '../chat-store.ts';
import { type ConversationRow, toConversation } from './rows.ts';

/** Conversations, each of one actor in one workspace. */
export function pgConversations(
  db: Database,
): Pick<ChatStore, 'createConversation' | 'listConversations' | 'getConversation'> {
  return {
    async createConversation(input) {
      const [row] = await db.query<ConversationRow>(
        `INSERT INTO conversations (id, workspace_id, actor_type, actor_id, title)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [newId('cnv'), input.workspaceId, input.actor.type, input.actor.id, input.title ?? null],
      );
      if (!row) throw new Error('conversation insert returned nothing');
      return toConversation(row);
    },

    async listConversations(workspaceIds, actor, limit) {
      if (workspaceIds.length === 0) return [];
      const rows = await db.query<ConversationRow>(
        `SELECT * FROM conversations
          WHERE workspace_id = ANY($1::text[]) AND actor_type = $2 AND actor_id = $3
          ORDER BY updated_at DESC, id LIMIT $4`,
        [workspaceIds, actor.type, actor.id, limit],
      );
      return rows.map(toConversation);
    },

    async getConversation(conversationId) {
      const [row] = await db.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [
        conversationId,
      ]);
      return row ? toConversation(row) : undefined;
    },
  };
}
