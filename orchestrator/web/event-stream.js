/**
 * A `text/event-stream` read by the WHATWG rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream), for
 * the page (run-stream.js) and the orchestrator's readSse alike. eventsource-parser does the
 * parsing (CRLF, LF or a lone CR end a line, comments and unknown fields are skipped, `retry:`
 * sets the reconnection time); it is passed in, as the page loads it from
 * /vendor/eventsource-parser.js and Node from the package. What this adds: the frame shape and
 * the end of the stream.
 */

/**
 * Decoded text in (UTF-8, its leading BOM dropped, as TextDecoder and TextDecoderStream do),
 * complete frames out: `{ id?, event, data }`, `event` defaulting to `message`. At the end a
 * pending line that ended in CR is complete (the parser waits for a possible LF); anything
 * else pending is dropped, as the spec asks of an event cut off before its blank line.
 * @param {typeof import('eventsource-parser').createParser} createParser
 * @param {{ onRetry?: (ms: number) => void }} [options]
 */
export function eventStreamDecoder(createParser, options = {}) {
  /** @type {{ id?: string, event: string, data: string }[]} */
  const frames = [];
  let endsInCr = false;
  const parser = createParser({
    onEvent: (message) =>
      frames.push({
        ...(message.id !== undefined ? { id: message.id } : {}),
        event: message.event ?? 'message',
        data: message.data,
      }),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return {
    /** @param {string} text the next piece of the stream */
    push(text) {
      if (text !== '') {
        parser.feed(text);
        endsInCr = text.endsWith('\r');
      }
      return frames.splice(0);
    },
    /** The stream ended. */
    end() {
      if (endsInCr) parser.feed('\n');
      endsInCr = false;
      return frames.splice(0);
    },
  };
}
