import type { RunStatus } from '@airsuite/orchestrator';
import { ChatClientError, errorFromResponse } from './chat-client-error.ts';
import { followRun, type RunEventFrame } from './follow-run.ts';

export type { RunEventFrame };

/** How often a stream that breaks before `done` is picked up again (with Last-Event-ID). */
export const DEFAULT_MAX_RECONNECTS = 3;

export interface ChatClientOptions {
  /** The orchestrator's origin, e.g. http://127.0.0.1:8003. */
  url: string;
  /** Sent as `Authorization: Bearer …`: an API key (ask_live_…) or an access token. */
  apiKey: string;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Default {@link DEFAULT_MAX_RECONNECTS}. */
  maxReconnects?: number;
}

export interface ConversationSummary {
  id: string;
  workspace_id: string;
  title?: string;
  created_at: string;
  updated_at: string;
}

export type ConversationPart =
  | { type: 'text'; text: string }
  | {
      type: 'tool_call';
      name: string;
      arguments: Record<string, unknown>;
      status: 'ok' | 'error' | 'denied' | 'cancelled' | 'pending';
      summary?: string;
      code?: string;
    };

export type ConversationTurn =
  | { role: 'user'; text: string }
  | { role: 'assistant'; parts: ConversationPart[] };

export interface PendingApproval {
  id: string;
  call_id: string;
  tool: string;
  arguments: Record<string, unknown>;
  reason: string;
  preview?: unknown;
}

/** `GET /v1/conversations/{id}`: the turns as people read them, the latest run, open approvals. */
export interface ConversationDetail extends ConversationSummary {
  turns: ConversationTurn[];
  latest_run?: { id: string; status: RunStatus; error_code?: string };
  pending_approvals: PendingApproval[];
}

export interface Decision {
  decision: 'approve' | 'deny' | 'edit';
  /** With deny: why, for the model to read. */
  reason?: string;
  /** With edit: the arguments to run instead. */
  arguments?: Record<string, unknown>;
}

/** The last pending approval resumes the run (its events); otherwise others are still pending. */
export type DecideResult =
  | { kind: 'resumed'; events: AsyncIterable<RunEventFrame> }
  | { kind: 'pending'; pending: number };

export interface StreamOptions {
  /** Aborts the request and the stream (the run itself goes on; see `cancel`). */
  signal?: AbortSignal;
}

export interface ChatClient {
  readonly url: string;
  /** With an API key the workspace is the key's own; a user names it (or has exactly one). */
  createConversation(workspaceId?: string): Promise<ConversationSummary>;
  getConversation(id: string): Promise<ConversationDetail>;
  /** Sends a message; the run's events until `done` (the request goes out on the first `next()`). */
  sendMessage(conversationId: string, text: string, options?: StreamOptions): AsyncIterable<RunEventFrame>;
  decide(
    conversationId: string,
    approvalId: string,
    decision: Decision,
    options?: StreamOptions,
  ): Promise<DecideResult>;
  /** Cancels the run in progress (or waiting for approval); false when nothing was running. */
  cancel(conversationId: string): Promise<boolean>;
  /** The latest run's events (after `lastEventId` when given) until `done`; none when idle. */
  resume(conversationId: string, lastEventId?: string, options?: StreamOptions): AsyncIterable<RunEventFrame>;
}

/** The orchestrator's REST + SSE chat API (`/v1/conversations…`). */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const maxReconnects = options.maxReconnects ?? DEFAULT_MAX_RECONNECTS;
  const conversationPath = (id: string) => `/conversations/${encodeURIComponent(id)}`;

  const request = requester(base, options.apiKey, doFetch);

  const watch = (conversationId: string, lastEventId: string | undefined, signal?: AbortSignal) =>
    request('GET', `${conversationPath(conversationId)}/events`, {
      headers: lastEventId ? { 'last-event-id': lastEventId } : {},
      ...(signal ? { signal } : {}),
    });

  /** The run's events from the response `first` gives, picked up again while it breaks before `done`. */
  async function* follow(
    conversationId: string,
    first: () => Promise<Response>,
    signal: AbortSignal | undefined,
    after?: string,
  ): AsyncGenerator<RunEventFrame> {
    yield* followRun(await first(), {
      reopen: (lastId) => watch(conversationId, lastId, signal),
      maxReconnects,
      signal,
      after,
    });
  }

  return {
    url: base,
    async createConversation(workspaceId) {
      const response = await request('POST', '/conversations', {
        body: workspaceId ? { workspace_id: workspaceId } : {},
      });
      return json<ConversationSummary>(response);
    },
    async getConversation(id) {
      return json<ConversationDetail>(await request('GET', conversationPath(id)));
    },
    sendMessage(conversationId, text, streamOptions = {}) {
      const { signal } = streamOptions;
      return follow(
        conversationId,
        () =>
          request('POST', `${conversationPath(conversationId)}/messages`, {
            body: { text },
            ...(signal ? { signal } : {}),
          }),
        signal,
      );
    },
    async decide(conversationId, approvalId, decision, streamOptions = {}) {
      const { signal } = streamOptions;
      const response = await request(
        'POST',
        `${conversationPath(conversationId)}/approvals/${encodeURIComponent(approvalId)}`,
        { body: decision, ...(signal ? { signal } : {}) },
      );
      if (response.status === 202) {
        const body = await json<{ pending: number }>(response);
        return { kind: 'pending', pending: body.pending };
      }
      return { kind: 'resumed', events: follow(conversationId, async () => response, signal) };
    },
    async cancel(conversationId) {
      const response = await request('POST', `${conversationPath(conversationId)}/cancel`);
      return (await json<{ cancelled: boolean }>(response)).cancelled;
    },
    resume(conversationId, lastEventId, streamOptions = {}) {
      const { signal } = streamOptions;
      return follow(conversationId, () => watch(conversationId, lastEventId, signal), signal, lastEventId);
    },
  };
}

interface ChatRequest {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Requests to `<base>/v1…` with the bearer: no answer at all is CHAT_CLIENT_UNREACHABLE (unless
 * aborted), an error answer its ChatClientError (errorFromResponse).
 */
function requester(base: string, apiKey: string, doFetch: typeof fetch) {
  return async (method: 'GET' | 'POST', path: string, init: ChatRequest = {}): Promise<Response> => {
    let response: Response;
    try {
      response = await doFetch(`${base}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ChatClientError(
        'CHAT_CLIENT_UNREACHABLE',
        `cannot reach the orchestrator at ${base}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  };
}

async function json<T>(response: Response): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (error) {
    throw new ChatClientError(
      'CHAT_CLIENT_BAD_RESPONSE',
      'the orchestrator answered with no JSON',
      undefined,
      {
        cause: error,
      },
    );
  }
}
