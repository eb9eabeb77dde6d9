import { ApiError } from './api-error.js';
import { followRun } from './run-stream.js';

export { ApiError };

/**
 * The page's HTTP client: JSON requests with the bearer, problem+json as ApiError, and run
 * streams (run-stream.js) resumed on `GET …/events` when the connection drops.
 */

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

/** @param {string} path @param {RequestInit} init */
async function reach(path, init) {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'the server cannot be reached; check your connection');
  }
}

/**
 * Requests with the current bearer; a 401 renews the token once and retries, so a long chat is
 * not cut off (an access token lives 15 minutes); an error answer rejects as ApiError.
 * @param {object} options
 * @param {() => string | null} options.token the current bearer (read at each call)
 * @param {() => Promise<boolean>} [options.renew] trades the refresh token for a new bearer;
 *   false when there is none or it was refused
 * @param {(error: ApiError) => void} options.onUnauthorized called on a 401 that renewing did not cure
 */
function createSend({ token, renew, onUnauthorized }) {
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
  return async function send(method, path, body, extra = {}) {
    const init = { method, headers: headers(extra) };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response = await reach(path, init);
    if (response.status === 401 && !path.startsWith('/v1/auth/') && (await renewOnce())) {
      response = await reach(path, { ...init, headers: { ...init.headers, ...headers() } });
    }
    if (!response.ok) {
      const error = await problemOf(response);
      if (response.status === 401) onUnauthorized(error);
      throw error;
    }
    return response;
  };
}

/**
 * Sends a request whose answer may be an event stream; events go to `onEvent` until `done`.
 * A stream that ends early is resumed from the last event id on `GET …/events`.
 * @param {ReturnType<typeof createSend>} send
 * @param {string} eventsPath `/v1/conversations/{id}/events`
 * @param {() => Promise<Response>} open the request that starts the stream
 * @param {(event: any) => void} onEvent
 * @returns {Promise<any>} the JSON body when the answer is not a stream (e.g. 202), else undefined
 */
async function stream(send, eventsPath, open, onEvent) {
  const response = await open();
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    return response.status === 204 ? undefined : response.json();
  }
  const reopen = async (lastId) => {
    try {
      const next = await send('GET', eventsPath, undefined, lastId ? { 'last-event-id': lastId } : {});
      // 204: nothing more to stream (the run finished while we were away).
      return next.status === 204 ? 'finished' : next;
    } catch (error) {
      if (error instanceof ApiError && error.status !== 0) throw error;
      return 'unreachable';
    }
  };
  await followRun(response, reopen, onEvent);
  return undefined;
}

/**
 * The chat's API as the page uses it.
 * @param {Parameters<typeof createSend>[0]} options
 */
export function createApi(options) {
  const send = createSend(options);
  const json = async (method, path, body) => {
    const response = await send(method, path, body);
    return response.status === 204 ? undefined : response.json();
  };

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
        send,
        `/v1/conversations/${encodeURIComponent(id)}/events`,
        () => send('POST', `/v1/conversations/${encodeURIComponent(id)}/messages`, { text }),
        onEvent,
      ),
    /** Streams the continuation, or resolves to `{status, pending}` (202) when others are pending. */
    decide: (id, approvalId, decision, onEvent) =>
      stream(
        send,
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
      return stream(send, path, () => send('GET', path), onEvent);
    },
  };
}
