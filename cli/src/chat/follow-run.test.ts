import { describe, expect, it } from 'vitest';
import { followRun, type RunEventFrame } from './follow-run.ts';

const sse = (body: string) => new Response(body, { headers: { 'content-type': 'text/event-stream' } });

async function follow(first: string, later: string[]) {
  const reopened: { lastId: string | undefined; afterMs: number }[] = [];
  let last = performance.now();
  const frames: RunEventFrame[] = [];
  const events = followRun(sse(first), {
    maxReconnects: 3,
    async reopen(lastId) {
      reopened.push({ lastId, afterMs: performance.now() - last });
      last = performance.now();
      const body = later.shift();
      return body === undefined ? new Response(null, { status: 204 }) : sse(body);
    },
  });
  for await (const frame of events) frames.push(frame);
  return { frames, reopened };
}

const DONE = 'data: {"type":"done","status":"completed","text":"Hi"}\n\n';

describe('followRun', () => {
  it('picks a broken stream up again from the last event id, at once when the server set no retry', async () => {
    const { frames, reopened } = await follow('id: run_a:1\ndata: {"type":"text_delta","text":"Hi"}\n\n', [
      `id: run_a:2\n${DONE}`,
    ]);
    expect(frames.map((f) => [f.id, f.event.type])).toEqual([
      ['run_a:1', 'text_delta'],
      ['run_a:2', 'done'],
    ]);
    expect(reopened.map((r) => r.lastId)).toEqual(['run_a:1']);
  });

  it('waits the `retry:` time the server sent before it reconnects (lone CR line ends and all)', async () => {
    const { frames, reopened } = await follow(
      'retry: 60\r\rid: run_a:1\rdata: {"type":"text_delta","text":"Hi"}\r\r',
      [DONE],
    );
    expect(frames.map((f) => f.event.type)).toEqual(['text_delta', 'done']);
    expect(reopened[0]?.lastId).toBe('run_a:1');
    expect(reopened[0]?.afterMs).toBeGreaterThanOrEqual(50);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const events = followRun(sse('retry: 60000\n\ndata: {"type":"text_delta","text":"Hi"}\n\n'), {
      maxReconnects: 3,
      signal: controller.signal,
      reopen: async () => {
        throw new Error('must not reconnect');
      },
    });
    const seen: string[] = [];
    const started = performance.now();
    for await (const frame of events) {
      seen.push(frame.event.type);
      controller.abort();
    }
    expect(seen).toEqual(['text_delta']);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
