import type { Database } from '@airsuite/platform-api';
import type { ChatStore } from '../chat-store.ts';
import { num } from './rows.ts';

/** Tokens and tool calls the runs used. */
export function pgUsage(db: Database): Pick<ChatStore, 'usage' | 'tokensUsedSince'> {
  return {
    async usage(filter) {
      const [where, params] =
        'conversationId' in filter
          ? ['conversation_id = $1', [filter.conversationId]]
          : ['workspace_id = $1 AND started_at >= $2', [filter.workspaceId, filter.since]];
      const [row] = await db.query<{
        runs: string | number;
        p: string | number;
        o: string | number;
        t: string | number;
      }>(
        `SELECT count(*) AS runs, COALESCE(sum(prompt_tokens), 0) AS p, COALESCE(sum(output_tokens), 0) AS o,
                COALESCE(sum(tool_calls), 0) AS t
           FROM runs WHERE ${where}`,
        params,
      );
      return {
        runs: num(row?.runs),
        promptTokens: num(row?.p),
        outputTokens: num(row?.o),
        toolCalls: num(row?.t),
      };
    },

    async tokensUsedSince(workspaceId, since) {
      const [row] = await db.query<{ n: string | number | null }>(
        'SELECT COALESCE(sum(prompt_tokens + output_tokens), 0) AS n FROM runs WHERE workspace_id = $1 AND started_at >= $2',
        [workspaceId, since],
      );
      return num(row?.n);
    },
  };
}
