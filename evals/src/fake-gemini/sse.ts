import type { ServerResponse } from 'node:http';

/** Headers of a `:streamGenerateContent?alt=sse` answer. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
} as const;

/**
 * One server-sent event as Gemini frames it: `data: <json>` and a blank line (CRLF). There is
 * no `[DONE]` sentinel: the stream just ends.
 */
export function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

/** Writes one event; false when the client has gone. */
export function writeSseEvent(res: ServerResponse, data: unknown): boolean {
  if (res.destroyed || res.writableEnded) return false;
  res.write(sseEvent(data));
  return true;
}
