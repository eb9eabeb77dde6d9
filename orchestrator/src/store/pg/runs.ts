import { type Database, newId } from '@airsuite/platform-api';
import type { ChatStore } from '../chat-store.ts';
import { type RunRow, toRun } from './rows.ts';

/** Runs: one open per conversation at a time, moved between statuses only from the status expected. */
export function pgRuns(
  db: Database,
): Pick<ChatStore, 'startRun' | 'getRun' | 'latestRun' | 'openRun' | 'transitionRun' | 'updateRun'> {
  return {
    async startRun(conversationId, workspaceId) {
      const rows = await db.query<RunRow>(
        `INSERT INTO runs (id, conversation_id, workspace_id, status) VALUES ($1, $2, $3, 'running')
         ON CONFLICT (conversation_id) WHERE status IN ('running', 'awaiting_approval') DO NOTHING
         RETURNING *`,
        [newId('run'), conversationId, workspaceId],
      );
      const [row] = rows;
      return row ? toRun(row) : undefined;
    },

    async getRun(runId) {
      const [row] = await db.query<RunRow>('SELECT * FROM runs WHERE id = $1', [runId]);
      return row ? toRun(row) : undefined;
    },

    async latestRun(conversationId) {
      const [row] = await db.query<RunRow>(
        'SELECT * FROM runs WHERE conversation_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1',
        [conversationId],
      );
      return row ? toRun(row) : undefined;
    },

    async openRun(conversationId) {
      const [row] = await db.query<RunRow>(
        "SELECT * FROM runs WHERE conversation_id = $1 AND status IN ('running', 'awaiting_approval') ORDER BY started_at DESC LIMIT 1",
        [conversationId],
      );
      return row ? toRun(row) : undefined;
    },

    async transitionRun(runId, from, to) {
      const rows = await db.query(
        'UPDATE runs SET status = $3, updated_at = now() WHERE id = $1 AND status = $2 RETURNING id',
        [runId, from, to],
      );
      return rows.length === 1;
    },

    async updateRun(runId, patch) {
      const sets: string[] = ['updated_at = now()'];
      const params: unknown[] = [runId];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (patch.status !== undefined) {
        set('status', patch.status);
        if (patch.status !== 'running' && patch.status !== 'awaiting_approval')
          sets.push('finished_at = now()');
      }
      if (patch.steps !== undefined) set('steps', patch.steps);
      if (patch.promptTokens !== undefined) set('prompt_tokens', patch.promptTokens);
      if (patch.outputTokens !== undefined) set('output_tokens', patch.outputTokens);
      if (patch.toolCalls !== undefined) set('tool_calls', patch.toolCalls);
      if (patch.errorCode !== undefined) set('error_code', patch.errorCode);
      if (patch.state !== undefined) set('state', patch.state === null ? null : JSON.stringify(patch.state));
      await db.query(`UPDATE runs SET ${sets.join(', ')} WHERE id = $1`, params);
    },
  };
}
