/**
 * The page's HTTP client: JSON requests with the bearer, problem+json as ApiError, and run
 * streams read with fetch + ReadableStream (EventSource cannot send Authorization), resumed
 * with `Last-Event-ID` when the connection drops.
 */

/** Reconnect attempts after a dropped stream, and the first delay (doubled each time). */
const RECONNECT_ATTEMPTS = 5;
const RECONNECT_DELAY_MS = 500;
/** How long a stream may stay open after its `done` event before the page closes it. */
const DRAIN_MS = 2_000;

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** @param {Response} response */
async function problemOf(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const code = typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`;
  const detail = typeof body?.detail === 'string' ? body.detail : response.statusText || 'request failed';
  return new ApiError(response.status, code, detail);
}

/**
 * @param {object} options
 * @param {() => string | null} options.token the current bearer (read at each call)
 * @param {() => Promise<boolean>} [options.renew] trades the refresh token for a new bearer;
 *   false when there is none or it was refused
 * @param {(error: ApiError) => void} options.onUnauthorized called on a 401 that renewing did not cure
 */
export function createApi({ token, renew, onUnauthorized }) {
  const headers = (extra = {}) => {
    const bearer = token();
    return { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra };
  };

  /** One renewal at a time: parallel 401s (list, stream) wait for the same new token. */
  let renewing;
  const renewOnce = () => {
    renewing ??= (renew ? renew() : Promise.resolve(false)).finally(() => {
      renewing = undefined;
    });
    return renewing;
  };

  /** @param {string} method @param {string} path @param {unknown} [body] @param {Record<string,string>} [extra] */
  async function send(method, path, body, extra = {}) {
    const init = { method, headers: headers(extra) };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response = await reach(path, init);
    // An access token lives 15 minutes: renew it once and retry, so a long chat is not cut off.
    if (response.status === 401 && !path.startsWith('/v1/auth/') && (await renewOnce())) {
      response = await reach(path, { ...init, headers: { ...init.headers, ...headers() } });
    }
    if (!response.ok) {
      const error = await problemOf(response);
      if (response.status === 401) onUnauthorized(error);
      throw error;
    }
    return response;
  }

  /** @param {string} path @param {RequestInit} init */
  async function reach(path, init) {
    try {
      return await fetch(path, init);
    } catch {
      throw new ApiError(0, 'NETWORK', 'the server cannot be reached; check your connection');
    }
  }

  async function json(method, path, body) {
    const response = await send(method, path, body);
    return response.status === 204 ? undefined : response.json();
  }

  /**
   * Sends a request whose answer may be an event stream; events go to `onEvent` until `done`.
   * A stream that ends early is resumed from the last event id on `GET …/events`.
   * @param {string} eventsPath `/v1/conversations/{id}/events`
   * @param {() => Promise<Response>} open the request that starts the stream
   * @param {(event: any) => void} onEvent
   * @returns {Promise<any>} the JSON body when the answer is not a stream (e.g. 202), else undefined
   */
  async function stream(eventsPath, open, onEvent) {
    const state = { lastId: undefined, done: false };
    let response = await open();
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      return response.status === 204 ? undefined : response.json();
    }
    for (let attempt = 0; ; attempt += 1) {
      const before = state.lastId;
      try {
        await readEvents(response, state, onEvent);
      } catch {
        // The connection dropped mid-stream; resumed below.
      }
      if (state.done) return undefined;
      if (state.lastId !== before) attempt = 0;
      if (attempt >= RECONNECT_ATTEMPTS) {
        throw new ApiError(
          0,
          'STREAM_LOST',
          'the connection was lost; reopen the conversation to see the rest',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS * 2 ** attempt));
      try {
        response = await send(
          'GET',
          eventsPath,
          undefined,
          state.lastId ? { 'last-event-id': state.lastId } : {},
        );
      } catch (error) {
        if (error instanceof ApiError && error.status !== 0) throw error;
        continue;
      }
      // 204: nothing more to stream (the run finished while we were away).
      if (response.status === 204) return undefined;
    }
  }

  return {
    me: () => json('GET', '/v1/me'),
    login: (email, password) => json('POST', '/v1/auth/login', { email, password }),
    logout: () => json('POST', '/v1/auth/logout'),
    /** @param {string} refreshToken @returns {Promise<{access_token: string, refresh_token: string}>} */
    refresh: (refreshToken) => json('POST', '/v1/auth/refresh', { refresh_token: refreshToken }),
    workspaces: () => json('GET', '/v1/workspaces'),
    conversations: (workspaceId) =>
      json('GET', `/v1/conversations?workspace_id=${encodeURIComponent(workspaceId)}`),
    createConversation: (workspaceId) => json('POST', '/v1/conversations', { workspace_id: workspaceId }),
    conversation: (id) => json('GET', `/v1/conversations/${encodeURIComponent(id)}`),
    cancel: (id) => json('POST', `/v1/conversations/${encodeURIComponent(id)}/cancel`),
    /** Streams the answer to `text`. */
    sendMessage: (id, text, onEvent) =>
      stream(
        `/v1/conversations/${encodeURIComponent(id)}/events`,
        () => send('POST', `/v1/conversations/${encodeURIComponent(id)}/messages`, { text }),
        onEvent,
      ),
    /** Streams the continuation, or resolves to `{status, pending}` (202) when others are pending. */
    decide: (id, approvalId, decision, onEvent) =>
      stream(
        `/v1/conversations/${encodeURIComponent(id)}/events`,
        () =>
          send(
            'POST',
            `/v1/conversations/${encodeURIComponent(id)}/approvals/${encodeURIComponent(approvalId)}`,
            decision,
          ),
        onEvent,
      ),
    /** Attaches to a run in progress (from its start). */
    watch: (id, onEvent) => {
      const path = `/v1/conversations/${encodeURIComponent(id)}/events`;
      return stream(path, () => send('GET', path), onEvent);
    },
  };
}

/**
 * Reads SSE frames from `response` as they arrive, until the body ends or a `done` event.
 * @param {Response} response
 * @param {{ lastId: string | undefined, done: boolean }} state updated with each event
 * @param {(event: any) => void} onEvent
 */
async function readEvents(response, state, onEvent) {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let boundary = buffer.search(/\r?\n\r?\n/);
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
      const frame = parseFrame(block);
      if (frame) {
        if (frame.id) state.lastId = frame.id;
        onEvent(frame.data);
        if (frame.data?.type === 'done') {
          state.done = true;
          void drain(reader);
          return;
        }
      }
      boundary = buffer.search(/\r?\n\r?\n/);
    }
  }
}

/**
 * Reads what follows `done` to the end: the server ends the stream right after it, and
 * cancelling the reader instead would abort the request (a failed request in the browser).
 * A stream still open after {@link DRAIN_MS} is cancelled.
 * @param {ReadableStreamDefaultReader<string>} reader
 */
async function drain(reader) {
  const timer = setTimeout(() => reader.cancel().catch(() => {}), DRAIN_MS);
  try {
    while (!(await reader.read()).done) {
      // Only comments (heartbeats) can follow `done`.
    }
  } catch {
    // The connection dropped after `done`: nothing was lost.
  } finally {
    clearTimeout(timer);
  }
}

/** One SSE block: comments skipped, `data` lines joined and read as JSON. */
function parseFrame(block) {
  let id;
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  try {
    return { id, data: JSON.parse(data.join('\n')) };
  } catch {
    return undefined;
  }
}
