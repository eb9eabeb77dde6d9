import { ApiError, createApi } from './api.js';
import { approvalCard } from './approval-card.js';
import { h } from './dom.js';
import { liveTurn } from './live-turn.js';
import { assistantTurn, errorNote, renderTurns, userTurn } from './turns.js';

/**
 * The chat page: sign-in (API key or account), a workspace, the conversation list, and the
 * chat itself, streamed from the orchestrator's REST + SSE API on this origin.
 */

const TOKEN_KEY = 'airsuite.chat.token';
const REFRESH_KEY = 'airsuite.chat.refresh';
const WORKSPACE_KEY = 'airsuite.chat.workspace';

const $ = (id) => /** @type {any} */ (document.getElementById(id));
const ui = {
  session: $('session'),
  workspace: $('workspace'),
  who: $('who'),
  signOut: $('sign-out'),
  sidebar: $('sidebar'),
  newConversation: $('new-conversation'),
  list: $('conversation-list'),
  empty: $('conversations-empty'),
  signin: $('signin'),
  signinHeading: $('signin-heading'),
  signinError: $('signin-error'),
  keyForm: $('key-form'),
  passwordForm: $('password-form'),
  chat: $('chat'),
  heading: $('chat-heading'),
  transcript: $('transcript'),
  status: $('chat-status'),
  composer: $('composer'),
  message: $('message'),
  send: $('send'),
  cancel: $('cancel'),
};

const state = {
  workspaceId: /** @type {string | null} */ (null),
  conversationId: /** @type {string | null} */ (null),
  /** The conversation whose run is streaming, if any. */
  streaming: /** @type {string | null} */ (null),
};

const api = createApi({
  token: () => sessionStorage.getItem(TOKEN_KEY),
  renew: renewSession,
  onUnauthorized: () => {
    if (sessionStorage.getItem(TOKEN_KEY)) signOut('Your session has ended; sign in again.');
  },
});

/** Signed in with an account: trades the refresh token (spent on use) for a new pair. */
async function renewSession() {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return false;
  sessionStorage.removeItem(REFRESH_KEY);
  try {
    keepTokens(await api.refresh(refreshToken));
    return true;
  } catch {
    return false;
  }
}

/** @param {{access_token: string, refresh_token?: string}} tokens */
function keepTokens(tokens) {
  sessionStorage.setItem(TOKEN_KEY, tokens.access_token);
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
}

function forgetTokens() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
}

// ---- signing in and out ---------------------------------------------------------------------

function showSignIn(message = '') {
  ui.session.hidden = true;
  ui.sidebar.hidden = true;
  ui.chat.hidden = true;
  ui.signin.hidden = false;
  ui.signinError.replaceChildren(message ? h('p', { class: 'error', text: message }) : '');
  // On a fresh load focus stays at the top (skip link first); after a sign-out it moves here.
  if (message) ui.signinHeading.focus();
}

async function signOut(message = '', { endSession = false } = {}) {
  if (endSession) await api.logout().catch(() => {});
  forgetTokens();
  state.conversationId = null;
  ui.transcript.replaceChildren();
  ui.list.replaceChildren();
  showSignIn(message);
}

ui.keyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = ui.keyForm.elements['api-key'].value.trim();
  forgetTokens();
  sessionStorage.setItem(TOKEN_KEY, key);
  ui.keyForm.reset();
  await enter().catch((error) => signOut(`That API key was not accepted: ${error.message}`));
});

ui.passwordForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = ui.passwordForm.elements;
  try {
    keepTokens(await api.login(form.email.value.trim(), form.password.value));
    form.password.value = '';
    await enter();
  } catch (error) {
    forgetTokens();
    showSignIn(`Sign-in failed: ${error.message}`);
    form.password.focus();
  }
});

ui.signOut.addEventListener('click', () => signOut('You are signed out.', { endSession: true }));

/** After sign-in: who we are, our workspaces, then the chat. */
async function enter() {
  const me = await api.me();
  // An API key lists just its own workspace, with its name, as an account lists its own.
  const { workspaces } = await api.workspaces();
  ui.who.textContent =
    me.kind === 'api_key' ? `API key “${me.api_key.name}” (${me.api_key.role})` : me.user.email;
  ui.workspace.replaceChildren(
    ...workspaces.map((workspace) => h('option', { value: workspace.id, text: workspace.name })),
  );
  ui.workspace.disabled = me.kind === 'api_key';
  const remembered = sessionStorage.getItem(WORKSPACE_KEY);
  state.workspaceId = workspaces.some((w) => w.id === remembered) ? remembered : (workspaces[0]?.id ?? null);
  if (state.workspaceId) ui.workspace.value = state.workspaceId;

  ui.signin.hidden = true;
  ui.session.hidden = false;
  ui.sidebar.hidden = false;
  ui.chat.hidden = false;
  if (!state.workspaceId) {
    ui.transcript.replaceChildren(
      h('p', { class: 'note', text: 'You are not in any workspace yet; create one first.' }),
    );
    ui.send.disabled = true;
    return;
  }
  await loadConversations();
  startNew();
}

ui.workspace.addEventListener('change', async () => {
  state.workspaceId = ui.workspace.value;
  sessionStorage.setItem(WORKSPACE_KEY, state.workspaceId);
  await loadConversations().catch(showError);
  startNew();
});

// ---- conversations --------------------------------------------------------------------------

const titleOf = (conversation) =>
  conversation.title ?? `Conversation of ${new Date(conversation.created_at).toLocaleString()}`;

async function loadConversations() {
  if (!state.workspaceId) return;
  const { conversations } = await api.conversations(state.workspaceId);
  ui.list.replaceChildren(
    ...conversations.map((conversation) =>
      h(
        'li',
        {},
        h('button', {
          type: 'button',
          class: 'conversation',
          'data-id': conversation.id,
          'aria-current': conversation.id === state.conversationId ? 'page' : undefined,
          text: titleOf(conversation),
          onclick: () => openConversation(conversation.id).catch(showError),
        }),
      ),
    ),
  );
  ui.empty.hidden = conversations.length > 0;
  const current = conversations.find((c) => c.id === state.conversationId);
  if (current) ui.heading.textContent = titleOf(current);
}

function markCurrent() {
  for (const button of ui.list.querySelectorAll('button')) {
    if (button.dataset.id === state.conversationId) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
}

function startNew() {
  state.conversationId = null;
  ui.heading.textContent = 'New conversation';
  ui.transcript.replaceChildren();
  ui.status.textContent = '';
  markCurrent();
  ui.message.focus();
}

ui.newConversation.addEventListener('click', startNew);

async function openConversation(id) {
  const detail = await api.conversation(id);
  state.conversationId = id;
  markCurrent();
  ui.heading.textContent = titleOf(detail);
  ui.status.textContent = '';
  ui.transcript.setAttribute('aria-busy', 'true');
  const running = detail.latest_run?.status === 'running';
  const turns = [...detail.turns];
  // A running run's own output is replayed from its events, not shown twice.
  if (running && turns.at(-1)?.role === 'assistant') turns.pop();
  ui.transcript.replaceChildren(...renderTurns(turns));
  if (!running) ui.transcript.setAttribute('aria-busy', 'false');
  ui.heading.focus();

  if (detail.pending_approvals.length > 0) {
    const last = ui.transcript.lastElementChild;
    const parts = last?.classList.contains('assistant') ? last.querySelector('.parts') : newAssistant();
    const live = liveTurn(parts, (event) => cardFor(id, live, event));
    for (const approval of detail.pending_approvals) {
      parts.append(
        cardFor(id, live, {
          approval_id: approval.id,
          call_id: approval.call_id,
          name: approval.tool,
          arguments: approval.arguments,
          reason: approval.reason,
          preview: approval.preview,
        }),
      );
    }
  }
  if (running) {
    const parts = newAssistant();
    const live = liveTurn(parts, (event) => cardFor(id, live, event));
    await streaming(id, live, (onEvent) => api.watch(id, onEvent));
  }
}

function newAssistant() {
  const { element, parts } = assistantTurn();
  ui.transcript.append(element);
  return parts;
}

// ---- the chat -------------------------------------------------------------------------------

function setStreaming(conversationId) {
  state.streaming = conversationId;
  const busy = conversationId !== null;
  ui.send.disabled = busy;
  ui.cancel.hidden = !busy;
  ui.transcript.setAttribute('aria-busy', String(busy));
  if (!busy && (document.activeElement === ui.cancel || document.activeElement === document.body)) {
    ui.message.focus();
  }
}

const nearBottom = () => {
  const scroller = document.scrollingElement ?? document.documentElement;
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 160;
};

/**
 * Runs one stream (a message, a decision, a watch) into `live`, with the Cancel button shown.
 * @returns {Promise<any>} what the stream resolved to (a 202 body for a decision)
 */
async function streaming(conversationId, live, run, { rethrow = false } = {}) {
  setStreaming(conversationId);
  let seen = 0;
  try {
    return await run((event) => {
      seen += 1;
      const follow = nearBottom();
      live.onEvent(event);
      if (follow) ui.transcript.lastElementChild?.scrollIntoView({ block: 'end' });
    });
  } catch (error) {
    if (rethrow && seen === 0) throw error;
    live.fail(error);
    return undefined;
  } finally {
    setStreaming(null);
    if (state.conversationId === conversationId) loadConversations().catch(() => {});
  }
}

function cardFor(conversationId, live, event) {
  const { element } = approvalCard(event, (body) =>
    streaming(
      conversationId,
      live,
      (onEvent) => api.decide(conversationId, event.approval_id, body, onEvent),
      {
        rethrow: true,
      },
    ),
  );
  // Move focus to the card when the person was in the composer, so they can decide at once.
  queueMicrotask(() => {
    const active = document.activeElement;
    if (element.isConnected && (active === document.body || ui.composer.contains(active))) element.focus();
  });
  return element;
}

async function send(text) {
  if (state.streaming) {
    ui.status.textContent = 'Wait for the current answer to finish, or cancel it.';
    return;
  }
  ui.status.textContent = '';
  let id = state.conversationId;
  if (!id) {
    id = (await api.createConversation(state.workspaceId)).id;
    state.conversationId = id;
  }
  ui.message.value = '';
  ui.transcript.append(userTurn(text));
  const parts = newAssistant();
  const live = liveTurn(parts, (event) => cardFor(id, live, event));
  await streaming(id, live, (onEvent) => api.sendMessage(id, text, onEvent));
}

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.message.value;
  if (text.trim() === '') return;
  send(text).catch(showError);
});

ui.message.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});

ui.cancel.addEventListener('click', async () => {
  if (!state.streaming) return;
  ui.status.textContent = 'Cancelling…';
  try {
    const { cancelled } = await api.cancel(state.streaming);
    ui.status.textContent = cancelled ? 'Cancelled.' : 'Nothing was running.';
  } catch (error) {
    showError(error);
  }
});

function showError(error) {
  if (error instanceof ApiError && error.status === 401) return;
  ui.status.replaceChildren(errorNote(error.code ?? 'ERROR', error.message));
}

// ---- start ----------------------------------------------------------------------------------

if (sessionStorage.getItem(TOKEN_KEY))
  enter().catch((error) => signOut(`Could not sign in: ${error.message}`));
else showSignIn();
