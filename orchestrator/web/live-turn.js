import { h } from './dom.js';
import { errorNote, toolCall, usageText } from './turns.js';

/** A call stopped by Cancel (TOOL_CANCELLED) or cancelled with its run before it ran (USER_CANCELLED). */
const CANCELLED_CODES = new Set(['USER_CANCELLED', 'TOOL_CANCELLED']);

const DONE_NOTES = {
  awaiting_approval: 'Waiting for your approval.',
  cancelled: 'Cancelled.',
};

/**
 * Renders a run's events into an assistant turn as they arrive: text deltas into the current
 * paragraph, tool calls as items that update when they finish, approval cards, usage, errors.
 * @param {HTMLElement} parts the turn's part container
 * @param {(event: any) => HTMLElement} approvalFor builds the card for an `approval_requested`
 */
export function liveTurn(parts, approvalFor) {
  /** @type {HTMLElement | null} */
  let paragraph = null;
  const calls = new Map();
  /** approval id → call id: a denied call gets no tool_call_finished, only approval_decided. */
  const approvals = new Map();
  let usage = null;
  /** "Waiting for your approval.", until the run moves again. */
  let waiting = null;

  /** Places `element` before the usage line, so usage stays last. */
  const add = (element) => {
    if (usage) usage.before(element);
    else parts.append(element);
  };

  const callView = (callId, name, args) => {
    let view = calls.get(callId);
    if (!view) {
      view = toolCall(name, args ?? {});
      calls.set(callId, view);
      add(view.element);
    }
    return view;
  };

  return {
    /** @param {any} event a RunEvent */
    onEvent(event) {
      waiting?.remove();
      waiting = null;
      switch (event.type) {
        case 'text_delta':
          if (!paragraph) {
            paragraph = h('p', { class: 'text' });
            add(paragraph);
          }
          paragraph.append(event.text);
          break;
        case 'tool_call_started':
          paragraph = null;
          callView(event.call_id, event.name, event.arguments).update({ status: 'running' });
          break;
        case 'tool_call_finished': {
          paragraph = null;
          const code = event.ok ? undefined : event.code;
          const status = event.ok
            ? 'ok'
            : code === 'USER_DENIED'
              ? 'denied'
              : CANCELLED_CODES.has(code)
                ? 'cancelled'
                : 'error';
          callView(event.call_id, event.name).update({
            status,
            summary: event.summary,
            code,
            durationMs: event.duration_ms,
          });
          break;
        }
        case 'approval_requested':
          paragraph = null;
          approvals.set(event.approval_id, event.call_id);
          callView(event.call_id, event.name, event.arguments).update({ status: 'pending' });
          add(approvalFor(event));
          break;
        case 'approval_decided': {
          const view = calls.get(approvals.get(event.approval_id));
          if (!view) break;
          if (event.decision === 'deny') {
            view.update({
              status: 'denied',
              summary: event.reason ? `Denied by you: ${event.reason}` : 'Denied by you.',
            });
          } else view.update({ status: 'approved' });
          break;
        }
        case 'usage': {
          const line = h('p', { class: 'usage', text: usageText(event) });
          if (usage) usage.replaceWith(line);
          else parts.append(line);
          usage = line;
          break;
        }
        case 'error':
          paragraph = null;
          add(errorNote(event.code, event.message));
          break;
        case 'done':
          paragraph = null;
          if (DONE_NOTES[event.status]) {
            const note = h('p', { class: 'note', text: DONE_NOTES[event.status] });
            add(note);
            if (event.status === 'awaiting_approval') waiting = note;
          }
          break;
        default:
          break;
      }
    },
    /** A failure outside the stream (HTTP problem, lost connection). */
    fail(error) {
      paragraph = null;
      add(errorNote(error.code ?? 'ERROR', error.message));
    },
  };
}
