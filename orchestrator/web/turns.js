import { h, pretty } from './dom.js';

/**
 * What people read for a chat error code: the server's message plus what to do about it. A
 * code whose message already says what to do (CHAT_MODEL_NOT_CONFIGURED) has none, so the
 * advice is read once.
 */
const HINTS = {
  CHAT_MODEL_RATE_LIMITED: 'The model is busy right now; try again in a moment.',
  CHAT_MODEL_UNAVAILABLE: 'The model cannot be reached right now; try again in a moment.',
  CHAT_RUN_IN_PROGRESS: 'An answer is still running or waiting for your approval; finish or cancel it first.',
  CHAT_MONTHLY_BUDGET_EXHAUSTED: "This workspace's monthly token budget is used up.",
  CHAT_TOOLS_UNAVAILABLE: 'The Airtable tools cannot be reached; check the workspace connection.',
  STREAM_LOST: 'Reopen the conversation to see the rest of the answer.',
};

const STATUS_LABELS = {
  ok: 'done',
  error: 'failed',
  denied: 'denied',
  cancelled: 'cancelled',
  pending: 'waiting for approval',
  approved: 'approved',
  running: 'running…',
};

/** A clearly marked error: the message, its code and, when known, what to do. */
export function errorNote(code, message) {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', { text: 'Error: ' }),
    message,
    ' ',
    h('code', { text: code }),
    HINTS[code] ? h('p', { class: 'hint', text: HINTS[code] }) : null,
  );
}

export function userTurn(text) {
  return h(
    'article',
    { class: 'turn user', 'aria-label': 'You' },
    h('h3', { class: 'sr-only', text: 'You' }),
    h('p', { class: 'text', text }),
  );
}

/** An assistant turn's container; parts are appended to `.parts`. */
export function assistantTurn() {
  const parts = h('div', { class: 'parts' });
  const element = h(
    'article',
    { class: 'turn assistant', 'aria-label': 'Assistant' },
    h('h3', { class: 'sr-only', text: 'Assistant' }),
    parts,
  );
  return { element, parts };
}

/**
 * A tool call as a collapsible item: name and status in the summary, the arguments and the
 * result inside. `update` sets the status and result as they become known.
 */
export function toolCall(name, args) {
  const badge = h('span', { class: 'badge' });
  const result = h('div', { class: 'result' });
  const element = h(
    'details',
    { class: 'tool' },
    h('summary', {}, 'Tool ', h('code', { text: name }), ' ', badge),
    h('p', { class: 'label', text: 'Arguments' }),
    h('pre', { text: pretty(args) }),
    result,
  );
  const update = ({ status, summary, code, edited, durationMs }) => {
    badge.textContent = STATUS_LABELS[status] ?? status;
    badge.dataset.status = status;
    result.replaceChildren();
    if (edited)
      result.append(
        h('p', { class: 'label', text: 'Ran with edited arguments' }),
        h('pre', { text: pretty(edited) }),
      );
    if (summary) {
      result.append(
        h('p', { class: 'label', text: 'Result' }),
        h('p', {}, summary, code ? ' ' : null, code ? h('code', { text: code }) : null),
      );
    }
    if (durationMs !== undefined) result.append(h('p', { class: 'meta', text: `${durationMs} ms` }));
  };
  return { element, update };
}

/** A finished conversation's turns (GET /v1/conversations/{id}) as elements. */
export function renderTurns(turns) {
  return turns.map((turn) => {
    if (turn.role === 'user') return userTurn(turn.text);
    const { element, parts } = assistantTurn();
    for (const part of turn.parts) {
      if (part.type === 'text') {
        parts.append(h('p', { class: 'text', text: part.text }));
      } else {
        const view = toolCall(part.name, part.arguments);
        view.update({
          status: part.status,
          summary: part.summary,
          code: part.code,
          edited: part.edited_arguments,
        });
        parts.append(view.element);
      }
    }
    return element;
  });
}

/** "1,234 tokens (1,000 in, 234 out) · 2 steps · 1 tool call" */
export function usageText(usage) {
  const n = (value) => Number(value).toLocaleString('en');
  const plural = (count, word) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;
  return (
    `${n(usage.total_tokens)} tokens (${n(usage.prompt_tokens)} in, ${n(usage.output_tokens)} out) · ` +
    `${plural(usage.steps, 'step')} · ${plural(usage.tool_calls, 'tool call')}`
  );
}
