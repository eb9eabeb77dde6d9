import type { Database } from '@airsuite/platform-api';
import type { Content } from '@google/genai';
import type { AppendExtras, ChatStore } from '../chat-store.ts';

/** A conversation's turns, raw Gemini contents numbered in order. */
export function pgTurns(db: Database): Pick<ChatStore, 'history' | 'appendTurns'> {
  return {
    async history(conversationId) {
      const rows = await db.query<{ seq: number; role: 'user' | 'model'; content: Content }>(
        'SELECT seq, role, content FROM conversation_turns WHERE conversation_id = $1 ORDER BY seq',
        [conversationId],
      );
      return rows;
    },

    async appendTurns(conversationId, runId, contents, extras = {}) {
      if (contents.length === 0) return;
      const { sql, params } = appendTurnsStatement(conversationId, runId, contents, extras);
      await db.query(sql, params);
    },
  };
}

/**
 * One statement: the turns numbered after the last one (a conversation has one run at a time;
 * the primary key refuses a duplicate rather than interleaving), the run's counters and end
 * when given, and the conversation touched (and titled, when it has no title yet).
 */
function appendTurnsStatement(
  conversationId: string,
  runId: string,
  contents: Content[],
  { totals, completed, title }: AppendExtras,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [
    conversationId,
    runId,
    contents.map((content) => (content.role === 'model' ? 'model' : 'user')),
    contents.map((content) => JSON.stringify(content)),
  ];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const counters = totals
    ? `, counted AS (
         UPDATE runs SET steps = ${param(totals.steps)}, prompt_tokens = ${param(totals.promptTokens)},
                output_tokens = ${param(totals.outputTokens)}, tool_calls = ${param(totals.toolCalls)},
                ${completed ? "status = 'completed', finished_at = now(), error_code = NULL, state = NULL," : ''}
                updated_at = now()
          WHERE id = $2 RETURNING 1
       )`
    : '';
  const titled = title === undefined ? '' : `, title = COALESCE(title, ${param(title)})`;
  const sql = `WITH last AS (
       SELECT COALESCE(max(seq), -1) AS seq FROM conversation_turns WHERE conversation_id = $1
     ), added AS (
       INSERT INTO conversation_turns (conversation_id, seq, run_id, role, content)
       SELECT $1, last.seq + t.n, $2, t.role, t.content
         FROM last, unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS t(role, content, n)
       RETURNING 1
     )${counters}
     UPDATE conversations SET updated_at = now()${titled} WHERE id = $1 AND (SELECT count(*) FROM added) > 0`;
  return { sql, params };
}
