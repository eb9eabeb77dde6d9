import { describe, expect, it } from 'vitest';
import { parseSse, readSse, type SseFrame } from './sse-frames.ts';

function streamOf(chunks: string[], onCancel: () => void = () => {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
    cancel: onCancel,
  });
}

async function all(body: ReadableStream<Uint8Array>): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readSse(body)) frames.push(frame);
  return frames;
}

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

describe('parseSse', () => {
  it('reads a whole body, data as JSON', () => {
    expect(parseSse(': hi\n\nid: 7\nevent: usage\ndata: {"tokens":3}\n\n')).toEqual([
      { id: '7', event: 'usage', data: { tokens: 3 } },
    ]);
  });
});
