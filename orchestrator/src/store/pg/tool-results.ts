import { type Database, newId } from '@airsuite/platform-api';
import type { ChatStore } from '../chat-store.ts';

/** Large tool results kept whole, behind a handle, for fetch_tool_result. */
export function pgToolResults(db: Database): Pick<ChatStore, 'saveToolResult' | 'getToolResult'> {
  return {
    async saveToolResult(conversationId, tool, result) {
      const id = newId('res');
      await db.query('INSERT INTO tool_results (id, conversation_id, tool, result) VALUES ($1, $2, $3, $4)', [
        id,
        conversationId,
        tool,
        JSON.stringify(result),
      ]);
      return id;
    },

    async getToolResult(conversationId, handle) {
      const [row] = await db.query<{ tool: string; result: unknown }>(
        'SELECT tool, result FROM tool_results WHERE id = $1 AND conversation_id = $2',
        [handle, conversationId],
      );
      return row;
    },
  };
}
