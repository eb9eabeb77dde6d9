import { createHttpApp } from '@airsuite/platform-api';
import { describe, expect, it } from 'vitest';
import { formatSseFrame, openSse } from './sse.ts';
import { parseSse } from './sse-frames.ts';

describe('openSse', () => {
  it('streams framed events with SSE headers, heartbeats, and ends on request', async () => {
    const app = createHttpApp();
    app.get('/stream', async (_request, reply) => {
      const stream = openSse(reply, { heartbeatMs: 10 });
      stream.send({ id: 'run_a:1', event: 'text_delta', data: { type: 'text_delta', text: 'two\nlines' } });
      setTimeout(() => {
        stream.send({ id: 'run_a:2', event: 'done', data: { type: 'done', status: 'completed', text: '' } });
        stream.end();
        stream.end();
      }, 60);
      return reply;
    });
    const response = await app.inject({
      method: 'GET',
      url: '/stream',
      headers: { 'x-request-id': 'req-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-accel-buffering']).toBe('no');
    // Headers set by the app's hooks survive the hijack.
    expect(response.headers['x-request-id']).toBe('req-1');
    expect(response.body).toContain(': ping\n\n');
    expect(parseSse(response.body)).toEqual([
      { id: 'run_a:1', event: 'text_delta', data: { type: 'text_delta', text: 'two\nlines' } },
      { id: 'run_a:2', event: 'done', data: { type: 'done', status: 'completed', text: '' } },
    ]);
    await app.close();
  });

  it('keeps data on one line', () => {
    expect(formatSseFrame({ event: 'error', data: { message: 'a\nb' } })).toBe(
      'event: error\ndata: {"message":"a\\nb"}\n\n',
    );
  });
});
