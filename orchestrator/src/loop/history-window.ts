import type { Content } from '@google/genai';

/** A rough, stable token estimate (4 characters a token), enough to keep a history bounded. */
export function estimateTokens(content: Content): number {
  return Math.ceil(JSON.stringify(content.parts ?? []).length / 4);
}

const isFunctionResponseTurn = (content: Content) =>
  content.role === 'user' && (content.parts ?? []).some((part) => part.functionResponse !== undefined);

/**
 * The most recent turns that fit in `budgetTokens`, so a long chat never overflows the
 * model's context. The window always starts at a user message of text (never in the middle
 * of a call and its responses, which Gemini rejects) and always keeps the newest exchange.
 */
export function windowHistory(contents: readonly Content[], budgetTokens: number): Content[] {
  let start = contents.length;
  let used = 0;
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i] as Content;
    used += estimateTokens(content);
    if (used > budgetTokens && start < contents.length) break;
    if (content.role === 'user' && !isFunctionResponseTurn(content)) start = i;
  }
  // Nothing fitted: keep the newest user message onwards anyway.
  if (start === contents.length) {
    for (let i = contents.length - 1; i >= 0; i--) {
      const content = contents[i] as Content;
      if (content.role === 'user' && !isFunctionResponseTurn(content)) return contents.slice(i);
    }
    return [...contents];
  }
  return contents.slice(start);
}

/**
 * Adjacent contents of one role become one content (parts in order): Gemini expects turns
 * to alternate, and a cancelled call's answers followed by a new message are both "user".
 */
export function alternateTurns(contents: readonly Content[]): Content[] {
  const out: Content[] = [];
  for (const content of contents) {
    const last = out.at(-1);
    if (last && last.role === content.role) {
      out[out.length - 1] = { ...last, parts: [...(last.parts ?? []), ...(content.parts ?? [])] };
    } else {
      out.push(content);
    }
  }
  return out;
}

/**
 * Answers calls that never got one (a process that stopped mid-run): Gemini refuses a
 * history where a model turn's function calls are not followed by their responses.
 */
export function answerDanglingCalls(contents: readonly Content[]): Content[] {
  const out: Content[] = [];
  contents.forEach((content, index) => {
    out.push(content);
    const calls = (content.parts ?? []).flatMap((part) => (part.functionCall ? [part.functionCall] : []));
    if (content.role !== 'model' || calls.length === 0) return;
    const next = contents[index + 1];
    const answered = next?.role === 'user' && (next.parts ?? []).some((part) => part.functionResponse);
    if (answered) return;
    out.push({
      role: 'user',
      parts: calls.map((call) => ({
        functionResponse: {
          ...(call.id ? { id: call.id } : {}),
          name: call.name ?? '',
          response: {
            error: {
              code: 'INTERRUPTED',
              message: 'This call was interrupted before it finished; its outcome is unknown.',
            },
          },
        },
      })),
    });
  });
  return out;
}
