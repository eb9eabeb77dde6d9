/**
 * The client side of the chat's `text/event-stream`: one frame parser, used incrementally by
 * the terminal chat and over a whole body by the specs (a browser's EventSource does the same).
 */

/** One frame: `id`, `event` (default `message`) and `data` joined by newlines. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

const FRAME_END = /\r?\n\r?\n/;

/** Reads one frame's lines; undefined for frames without data (comments such as `: ping`). */
function frameOf(block: string): SseFrame | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  return { ...(id !== undefined ? { id } : {}), event, data: data.join('\n') };
}

/**
 * The frames of an SSE body as they arrive (a frame is yielded as soon as its blank line is
 * read). Ends when the body ends; a partial last frame is dropped, as EventSource does.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.search(FRAME_END); end !== -1; end = buffer.search(FRAME_END)) {
        const frame = frameOf(buffer.slice(0, end));
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        if (frame) yield frame;
      }
    }
  } finally {
    // Stops the download when the consumer leaves early (break, return, throw).
    await reader.cancel().catch(() => {});
  }
}

/** One event of a complete body, its data read as JSON (the chat's events are JSON). */
export interface ParsedSseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** Parses a complete SSE body whose data is JSON. */
export function parseSse(body: string): ParsedSseEvent[] {
  return body
    .split(FRAME_END)
    .map(frameOf)
    .filter((frame) => frame !== undefined)
    .map((frame) => ({ ...frame, data: JSON.parse(frame.data) }));
}
