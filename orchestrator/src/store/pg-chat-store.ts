import { type Database, newId } from '@airsuite/platform-api';
import type { Content } from '@google/genai';
import type { RunEvent } from '../loop/events.ts';
import type { ApprovalRecord, ChatStore, Conversation, RunRecord } from './chat-store.ts';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : undefined);
const num = (value: string | number | null | undefined) => Number(value ?? 0);

interface ConversationRow {
  id: string;
  workspace_id: string;
  actor_type: 'user' | 'api_key';
  actor_id: string;
  title: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  workspaceId: row.workspace_id,
  actor: { type: row.actor_type, id: row.actor_id },
  ...(row.title ? { title: row.title } : {}),
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

interface RunRow {
  id: string;
  conversation_id: string;
  workspace_id: string;
  status: RunRecord['status'];
  steps: number;
  prompt_tokens: string | number;
  output_tokens: string | number;
  tool_calls: number;
  error_code: string | null;
  state: unknown;
  started_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
}

const toRun = (row: RunRow): RunRecord => ({
  id: row.id,
  conversationId: row.conversation_id,
  workspaceId: row.workspace_id,
  status: row.status,
  steps: row.steps,
  promptTokens: num(row.prompt_tokens),
  outputTokens: num(row.output_tokens),
  toolCalls: row.tool_calls,
  ...(row.error_code ? { errorCode: row.error_code } : {}),
  ...(row.state !== null && row.state !== undefined ? { state: row.state } : {}),
  startedAt: new Date(row.started_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
});

interface ApprovalRow {
  id: string;
  run_id: string;
  conversation_id: string;
  workspace_id: string;
  call_id: string;
  tool: string;
  arguments: Record<string, unknown>;
  reason: string;
  preview: unknown;
  status: ApprovalRecord['status'];
  decision_reason: string | null;
  edited_arguments: Record<string, unknown> | null;
}

const toApproval = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  runId: row.run_id,
  conversationId: row.conversation_id,
  workspaceId: row.workspace_id,
  callId: row.call_id,
  tool: row.tool,
  arguments: row.arguments,
  reason: row.reason,
  ...(row.preview !== null && row.preview !== undefined ? { preview: row.preview } : {}),
  status: row.status,
  ...(row.decision_reason ? { decisionReason: row.decision_reason } : {}),
  ...(row.edited_arguments ? { editedArguments: row.edited_arguments } : {}),
});

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The chat store over the platform's database (PostgreSQL or PGlite). */
export function createPgChatStore(db: Database): ChatStore {
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

    async history(conversationId) {
      const rows = await db.query<{ seq: number; role: 'user' | 'model'; content: Content }>(
        'SELECT seq, role, content FROM conversation_turns WHERE conversation_id = $1 ORDER BY seq',
        [conversationId],
      );
      return rows;
    },

    async appendTurns(conversationId, runId, contents, extras = {}) {
      if (contents.length === 0) return;
      const { totals, completed, title } = extras;
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
      // One statement: numbered after the last turn (a conversation has one run at a time;
      // the primary key refuses a duplicate rather than interleaving), and the conversation touched.
      await db.query(
        `WITH last AS (
           SELECT COALESCE(max(seq), -1) AS seq FROM conversation_turns WHERE conversation_id = $1
         ), added AS (
           INSERT INTO conversation_turns (conversation_id, seq, run_id, role, content)
           SELECT $1, last.seq + t.n, $2, t.role, t.content
             FROM last, unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS t(role, content, n)
           RETURNING 1
         )${counters}
         UPDATE conversations SET updated_at = now()${titled} WHERE id = $1 AND (SELECT count(*) FROM added) > 0`,
        params,
      );
    },

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

    async appendEvents(runId, events) {
      if (events.length === 0) return;
      await db.query(
        `INSERT INTO run_events (run_id, seq, event)
         SELECT $1, t.seq, t.event FROM unnest($2::int[], $3::jsonb[]) AS t(seq, event)`,
        [runId, events.map((e) => e.seq), events.map((e) => JSON.stringify(e.event))],
      );
    },

    async lastEventSeq(runId) {
      const [row] = await db.query<{ seq: number | null }>(
        'SELECT max(seq) AS seq FROM run_events WHERE run_id = $1',
        [runId],
      );
      return num(row?.seq);
    },

    async eventsAfter(runId, afterSeq) {
      const rows = await db.query<{ seq: number; event: RunEvent }>(
        'SELECT seq, event FROM run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq',
        [runId, afterSeq],
      );
      return rows.map((row) => ({ id: `${runId}:${row.seq}`, seq: row.seq, event: row.event }));
    },

    async createApproval(approval) {
      const [row] = await db.query<ApprovalRow>(
        `INSERT INTO approvals (id, run_id, conversation_id, workspace_id, call_id, tool, arguments, reason, preview, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING *`,
        [
          approval.id,
          approval.runId,
          approval.conversationId,
          approval.workspaceId,
          approval.callId,
          approval.tool,
          JSON.stringify(approval.arguments),
          approval.reason,
          json(approval.preview),
        ],
      );
      if (!row) throw new Error('approval insert returned nothing');
      return toApproval(row);
    },

    async getApproval(approvalId) {
      const [row] = await db.query<ApprovalRow>('SELECT * FROM approvals WHERE id = $1', [approvalId]);
      return row ? toApproval(row) : undefined;
    },

    async approvalsOf(runId) {
      const rows = await db.query<ApprovalRow>(
        'SELECT * FROM approvals WHERE run_id = $1 ORDER BY created_at, id',
        [runId],
      );
      return rows.map(toApproval);
    },

    async decideApproval(approvalId, decision) {
      const rows = await db.query(
        `UPDATE approvals SET status = $2, decision_reason = $3, edited_arguments = $4, decided_by = $5, decided_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING id`,
        [
          approvalId,
          decision.status,
          decision.reason ?? null,
          json(decision.editedArguments),
          decision.decidedBy,
        ],
      );
      return rows.length === 1;
    },

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

    async monthlyTokenBudget(workspaceId) {
      const [row] = await db.query<{ monthly_token_budget: string | number | null }>(
        'SELECT monthly_token_budget FROM workspace_chat_settings WHERE workspace_id = $1',
        [workspaceId],
      );
      return row?.monthly_token_budget === null || row?.monthly_token_budget === undefined
        ? undefined
        : num(row.monthly_token_budget);
    },

    async workspaceGeminiKey(workspaceId) {
      const [row] = await db.query<{ gemini_key_ciphertext: string | null }>(
        'SELECT gemini_key_ciphertext FROM workspace_chat_settings WHERE workspace_id = $1',
        [workspaceId],
      );
      return row?.gemini_key_ciphertext ?? undefined;
    },

    async setWorkspaceGeminiKey(workspaceId, sealed) {
      await db.query(
        `INSERT INTO workspace_chat_settings (workspace_id, gemini_key_ciphertext) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET gemini_key_ciphertext = $2, updated_at = now()`,
        [workspaceId, sealed],
      );
    },

    async setMonthlyTokenBudget(workspaceId, budget) {
      await db.query(
        `INSERT INTO workspace_chat_settings (workspace_id, monthly_token_budget) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET monthly_token_budget = $2, updated_at = now()`,
        [workspaceId, budget],
      );
    },
  };
}
