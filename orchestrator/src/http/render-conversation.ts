import type { Part } from '@google/genai';
import type { StoredTurn } from '../store/chat-store.ts';
import type { AssistantPart, ToolCallView, Turn } from './conversation-schemas.ts';

/** Result summaries are cut to this many characters, like `tool_call_finished.summary`. */
export const SUMMARY_CHARS = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const cut = (text: string) => (text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text);

/** What people should read of a tool's output: its own summary when it has one, else its JSON. */
function outputSummary(output: unknown): string {
  if (isRecord(output)) {
    if (output.truncated === true && typeof output.total_chars === 'number') {
      return `large result (${output.total_chars} characters), stored for the model to page through`;
    }
    if (typeof output.summary === 'string') return cut(output.summary);
  }
  return cut(JSON.stringify(output) ?? '');
}

/** Fills a tool call's result from its functionResponse (`{output}` or `{error: {code, message}}`). */
function applyResponse(view: ToolCallView, response: unknown): void {
  const body = isRecord(response) ? response : {};
  const error = isRecord(body.error) ? body.error : undefined;
  if (error) {
    const code = typeof error.code === 'string' ? error.code : 'TOOL_ERROR';
    view.status =
      code === 'USER_DENIED'
        ? 'denied'
        : code === 'USER_CANCELLED' || code === 'TOOL_CANCELLED' || code === 'INTERRUPTED'
          ? 'cancelled'
          : 'error';
    view.code = code;
    view.summary = cut(typeof error.message === 'string' ? error.message : code);
    return;
  }
  view.status = 'ok';
  view.summary = outputSummary(body.output);
  if (isRecord(body.edited_arguments)) view.edited_arguments = body.edited_arguments;
}

/**
 * The people's view of a conversation's raw Gemini history: user texts, the assistant's texts
 * and tool calls (with their results paired in), merged per answer. Thoughts, thought
 * signatures and function-response turns are not shown as turns of their own.
 */
export function renderConversation(history: readonly StoredTurn[]): Turn[] {
  const turns: Turn[] = [];
  // Calls still waiting for their response, in call order (Gemini answers in that order).
  let open: { id?: string; name: string; view: ToolCallView }[] = [];

  const assistant = (): AssistantPart[] => {
    const last = turns.at(-1);
    if (last?.role === 'assistant') return last.parts;
    const fresh: Turn = { role: 'assistant', parts: [] };
    turns.push(fresh);
    return fresh.parts;
  };

  for (const { role, content } of history) {
    const parts: Part[] = content.parts ?? [];
    if (role === 'model') {
      for (const part of parts) {
        if (part.thought) continue;
        if (part.functionCall) {
          const view: ToolCallView = {
            type: 'tool_call',
            name: part.functionCall.name ?? '',
            arguments: isRecord(part.functionCall.args) ? part.functionCall.args : {},
            status: 'pending',
          };
          assistant().push(view);
          open.push({ ...(part.functionCall.id ? { id: part.functionCall.id } : {}), name: view.name, view });
        } else if (typeof part.text === 'string' && part.text !== '') {
          const target = assistant();
          const last = target.at(-1);
          if (last?.type === 'text') last.text += part.text;
          else target.push({ type: 'text', text: part.text });
        }
      }
      continue;
    }
    const responses = parts.filter((part) => part.functionResponse);
    for (const { functionResponse } of responses) {
      if (!functionResponse) continue;
      const index = open.findIndex((call) =>
        functionResponse.id ? call.id === functionResponse.id : call.name === functionResponse.name,
      );
      if (index === -1) continue;
      const [call] = open.splice(index, 1);
      if (call) applyResponse(call.view, functionResponse.response);
    }
    const text = parts
      .filter((part) => typeof part.text === 'string' && !part.thought)
      .map((part) => part.text)
      .join('');
    if (responses.length === 0 || text !== '') {
      turns.push({ role: 'user', text });
      open = [];
    }
  }
  return turns;
}
