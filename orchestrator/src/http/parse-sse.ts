/** One event of a `text/event-stream` body, as a client sees it. */
export interface ParsedSseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/**
 * Parses a complete SSE body (comments skipped, `data` lines joined and read as JSON). For
 * tests and simple clients; a browser's EventSource does the same incrementally.
 */
export function parseSse(body: string): ParsedSseEvent[] {
  const events: ParsedSseEvent[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
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
    if (data.length === 0) continue;
    events.push({ ...(id !== undefined ? { id } : {}), event, data: JSON.parse(data.join('\n')) });
  }
  return events;
}
