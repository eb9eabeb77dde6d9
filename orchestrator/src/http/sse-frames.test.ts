import { describe, expect, it } from 'vitest';
import { parseSse, readSse, type SseFrame, sseFramesOf } from './sse-frames.ts';

const encoder = new TextEncoder();

function streamOf(
  chunks: (string | Uint8Array)[],
  onCancel: () => void = () => {},
): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    },
    cancel: onCancel,
  });
}

async function all(body: ReadableStream<Uint8Array>, retries: number[] = []): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readSse(body, { onRetry: (ms) => retries.push(ms) })) frames.push(frame);
  return frames;
}

/** The body as bytes cut in two at every byte boundary, then one byte per chunk. */
function everySplit(body: string | Uint8Array): Uint8Array[][] {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const splits: Uint8Array[][] = [];
  for (let at = 1; at < bytes.length; at++) splits.push([bytes.slice(0, at), bytes.slice(at)]);
  splits.push([...bytes].map((byte) => Uint8Array.of(byte)));
  return splits;
}

const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const withBom = (text: string) => new Uint8Array([...BOM, ...encoder.encode(text)]);

describe('readSse', () => {
  it('yields frames split anywhere across chunks, with CRLF or LF line ends', async () => {
    const body = 'id: 1\nevent: text\ndata: {"a":1}\n\nid: 2\r\nevent: done\r\ndata: {}\r\n\r\n';
    const chunks = body.split('').reduce<string[]>((acc, char, i) => {
      if (i % 3 === 0) acc.push('');
      acc[acc.length - 1] += char;
      return acc;
    }, []);
    expect(await all(streamOf(chunks))).toEqual([
      { id: '1', event: 'text', data: '{"a":1}' },
      { id: '2', event: 'done', data: '{}' },
    ]);
  });

  it('skips comments (heartbeats), joins data lines, defaults the event to message', async () => {
    expect(await all(streamOf([': ping\n\ndata: one\ndata: two\n\n']))).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('drops a partial last frame, as EventSource does', async () => {
    expect(await all(streamOf(['data: whole\n\ndata: cut off']))).toEqual([
      { event: 'message', data: 'whole' },
    ]);
  });

  it('cancels the download when the reader leaves early', async () => {
    let cancelled = false;
    const body = streamOf(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'], () => {
      cancelled = true;
    });
    for await (const frame of readSse(body)) {
      expect(frame.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('readSse: the examples of the WHATWG event-stream section', () => {
  it('joins the data lines of one event with newlines', async () => {
    expect(await all(streamOf(['data: YHOO\ndata: +2\ndata: 10\n\n']))).toEqual([
      { event: 'message', data: 'YHOO\n+2\n10' },
    ]);
  });

  it('reads ids (an `id` line without a value sets an empty one), a comment, and only one leading space', async () => {
    const body =
      ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n';
    expect(await all(streamOf([body]))).toEqual([
      { id: '1', event: 'message', data: 'first event' },
      { id: '', event: 'message', data: 'second event' },
      { event: 'message', data: ' third event' },
    ]);
  });

  it('dispatches an empty `data`, a lone newline for two empty ones, and not a block cut off by the end', async () => {
    expect(await all(streamOf(['data\n\ndata\ndata\n\ndata:']))).toEqual([
      { event: 'message', data: '' },
      { event: 'message', data: '\n' },
    ]);
  });

  it('treats `data:test` and `data: test` alike', async () => {
    expect(await all(streamOf(['data:test\n\ndata: test\n\n']))).toEqual([
      { event: 'message', data: 'test' },
      { event: 'message', data: 'test' },
    ]);
  });
});

describe('readSse: line endings, BOM, fields', () => {
  const frames = [
    { id: '1', event: 'text', data: '{"a":1}' },
    { id: '2', event: 'done', data: 'é\nü' },
  ];
  const bodies: Record<string, string> = {
    LF: 'id: 1\nevent: text\ndata: {"a":1}\n\nid: 2\nevent: done\ndata: é\ndata: ü\n\n',
    CRLF: 'id: 1\r\nevent: text\r\ndata: {"a":1}\r\n\r\nid: 2\r\nevent: done\r\ndata: é\r\ndata: ü\r\n\r\n',
    'lone CR': 'id: 1\revent: text\rdata: {"a":1}\r\rid: 2\revent: done\rdata: é\rdata: ü\r\r',
    mixed: 'id: 1\r\nevent: text\rdata: {"a":1}\n\rid: 2\revent: done\r\ndata: é\ndata: ü\r\n\n',
  };

  for (const [name, body] of Object.entries(bodies)) {
    it(`reads ${name} line endings, with the stream split at every byte boundary`, async () => {
      for (const chunks of everySplit(body)) expect(await all(streamOf(chunks))).toEqual(frames);
    });
  }

  it('ignores one leading BOM, split at every byte boundary too, and keeps a second one as data', async () => {
    for (const chunks of everySplit(withBom('data: a\n\n'))) {
      expect(await all(streamOf(chunks))).toEqual([{ event: 'message', data: 'a' }]);
    }
    // Only the first is the stream's: a second makes the first line a field named "\uFEFFdata".
    expect(await all(streamOf([new Uint8Array([...BOM, ...withBom('data: a\n\ndata: b\n\n')])]))).toEqual([
      { event: 'message', data: 'b' },
    ]);
  });

  it('skips comments (heartbeats) and unknown fields, and defaults an empty event name to message', async () => {
    const body = ': open\n\n: ping\ndata: one\nfoo: bar\nevent:\ndata: two\n\n:ping\n\n';
    expect(await all(streamOf([body]))).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('reports `retry:` in milliseconds and ignores one that is not all digits; it is not an event', async () => {
    const retries: number[] = [];
    const body = 'retry: 5000\n\nretry: 5s\nretry: -1\ndata: x\n\nretry:250\n\n';
    expect(await all(streamOf([body]), retries)).toEqual([{ event: 'message', data: 'x' }]);
    expect(retries).toEqual([5000, 250]);
  });

  it('ignores an id with a NULL in it', async () => {
    expect(await all(streamOf(['id: 7\n\ndata: a\nid: 8\u00009\n\n']))).toEqual([
      { event: 'message', data: 'a' },
    ]);
  });

  it('ends an event whose blank line is a lone CR at the very end of the stream', async () => {
    expect(await all(streamOf(['data: a\r', '\r']))).toEqual([{ event: 'message', data: 'a' }]);
    // One CR ends the data line only: no blank line came.
    expect(await all(streamOf(['data: a\r']))).toEqual([]);
    expect(await all(streamOf(['data: a\n']))).toEqual([]);
  });

  it('yields each frame as soon as its blank line arrives', async () => {
    let pulls = 0;
    const chunks = ['data: 1\n\n', 'data: 2\n\n'];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[pulls++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(encoder.encode(chunk));
      },
    });
    const seen: [string, number][] = [];
    for await (const frame of readSse(body)) seen.push([frame.data, pulls]);
    expect(seen.map(([data]) => data)).toEqual(['1', '2']);
    expect(seen[0]?.[1]).toBeLessThan(3);
  });
});

describe('parseSse', () => {
  it('reads a whole body, data as JSON', () => {
    expect(parseSse(': hi\n\nid: 7\nevent: usage\ndata: {"tokens":3}\n\n')).toEqual([
      { id: '7', event: 'usage', data: { tokens: 3 } },
    ]);
  });

  it('reads a body by the same rules as readSse: BOM, lone CR, retry', () => {
    const retries: number[] = [];
    expect(sseFramesOf('\uFEFFretry: 10\rdata: a\r\r', { onRetry: (ms) => retries.push(ms) })).toEqual([
      { event: 'message', data: 'a' },
    ]);
    expect(retries).toEqual([10]);
  });
});
