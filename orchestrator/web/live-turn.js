import { h } from './dom.js';
import { errorNote, toolCall, usageText } from './turns.js';

/** A call stopped by Cancel (TOOL_CANCELLED) or cancelled with its run before it ran (USER_CANCELLED). */
const CANCELLED_CODES = new Set(['USER_CANCELLED', 'TOOL_CANCELLED']);

const DONE_NOTES = {
  awaiting_approval: 'Waiting for your approval.',
  cancelled: 'Cancelled.',
};

/** What a call's `tool_call_finished` says of it. */
const finishedStatus = (event) =>
  event.ok
    ? 'ok'
    : event.code === 'USER_DENIED'
      ? 'denied'
      : CANCELLED_CODES.has(event.code)
        ? 'cancelled'
        : 'error';

/**
 * The turn as it is drawn: its part container, the paragraph text deltas go into, the tool
 * calls by id, approval id → call id (a denied call gets no tool_call_finished, only
 * approval_decided), the usage line (kept last), and "Waiting for your approval." until the
 * run moves again.
 */
function turnState(parts, approvalFor) {
  const state = { parts, approvalFor, paragraph: null, calls: new Map(), approvals: new Map(), usage: null };
  state.waiting = null;
  /** Places `element` before the usage line, so usage stays last. */
  state.add = (element) => {
    if (state.usage) state.usage.before(element);
    else parts.append(element);
  };
  state.callView = (callId, name, args) => {
    let view = state.calls.get(callId);
    if (!view) {
      view = toolCall(name, args ?? {});
      state.calls.set(callId, view);
      state.add(view.element);
    }
    return view;
  };
  return state;
}

/** How each RunEvent changes the turn. */
const HANDLERS = {
  text_delta(turn, event) {
    if (!turn.paragraph) {
      turn.paragraph = h('p', { class: 'text' });
      turn.add(turn.paragraph);
    }
    turn.paragraph.append(event.text);
  },
  tool_call_started(turn, event) {
    turn.paragraph = null;
    turn.callView(event.call_id, event.name, event.arguments).update({ status: 'running' });
  },
  tool_call_finished(turn, event) {
    turn.paragraph = null;
    turn.callView(event.call_id, event.name).update({
      status: finishedStatus(event),
      summary: event.summary,
      code: event.ok ? undefined : event.code,
      durationMs: event.duration_ms,
    });
  },
  approval_requested(turn, event) {
    turn.paragraph = null;
    turn.approvals.set(event.approval_id, event.call_id);
    turn.callView(event.call_id, event.name, event.arguments).update({ status: 'pending' });
    turn.add(turn.approvalFor(event));
  },
  approval_decided(turn, event) {
    const view = turn.calls.get(turn.approvals.get(event.approval_id));
    if (!view) return;
    if (event.decision === 'deny') {
      view.update({
        status: 'denied',
        summary: event.reason ? `Denied by you: ${event.reason}` : 'Denied by you.',
      });
    } else view.update({ status: 'approved' });
  },
  usage(turn, event) {
    const line = h('p', { class: 'usage', text: usageText(event) });
    if (turn.usage) turn.usage.replaceWith(line);
    else turn.parts.append(line);
    turn.usage = line;
  },
  error(turn, event) {
    turn.paragraph = null;
    turn.add(errorNote(event.code, event.message));
  },
  done(turn, event) {
    turn.paragraph = null;
    if (!DONE_NOTES[event.status]) return;
    const note = h('p', { class: 'note', text: DONE_NOTES[event.status] });
    turn.add(note);
    if (event.status === 'awaiting_approval') turn.waiting = note;
  },
};

/**
 * Renders a run's events into an assistant turn as they arrive: text deltas into the current
 * paragraph, tool calls as items that update when they finish, approval cards, usage, errors.
 * @param {HTMLElement} parts the turn's part container
 * @param {(event: any) => HTMLElement} approvalFor builds the card for an `approval_requested`
 */
export function liveTurn(parts, approvalFor) {
  const turn = turnState(parts, approvalFor);
  return {
    /** @param {any} event a RunEvent */
    onEvent(event) {
      turn.waiting?.remove();
      turn.waiting = null;
      if (Object.hasOwn(HANDLERS, event.type)) HANDLERS[event.type](turn, event);
    },
    /** A failure outside the stream (HTTP problem, lost connection). */
    fail(error) {
      turn.paragraph = null;
      turn.add(errorNote(error.code ?? 'ERROR', error.message));
    },
  };
}
