import type { ConversationTurn } from './chat-client.ts';
import { formatCall, type Renderer } from './render-event.ts';

/** Turns of a resumed conversation shown before the prompt. */
export const RECENT_TURNS = 10;

/** The last `limit` turns: your texts, the answers, and tool calls with their outcome, dimmed. */
export function renderTurns(
  turns: readonly ConversationTurn[],
  renderer: Renderer,
  limit = RECENT_TURNS,
): void {
  const { style } = renderer;
  const recent = turns.slice(-limit);
  if (turns.length > recent.length)
    renderer.line(style.dim(`… ${turns.length - recent.length} earlier turns`));
  for (const turn of recent) {
    if (turn.role === 'user') {
      renderer.line(`${style.bold('you ›')} ${turn.text}`);
      continue;
    }
    for (const part of turn.parts) {
      if (part.type === 'text') {
        renderer.line(part.text);
        continue;
      }
      renderer.line(style.dim(`→ ${formatCall(part.name, part.arguments)}`));
      const outcome =
        part.status === 'ok'
          ? `✓ ${part.summary ?? ''}`
          : part.status === 'pending'
            ? '… waiting for approval'
            : `✗ ${part.code ?? part.status} ${part.summary ?? ''}`;
      renderer.line(style.dim(outcome.trimEnd()));
    }
  }
}
