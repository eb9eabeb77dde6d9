import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { useChatPage } from './page-kit.ts';

/**
 * The page's stream reader (web/run-stream.js) in Chromium, on the parser the orchestrator
 * serves at /vendor/eventsource-parser.js: the WHATWG line endings, the BOM, `retry:` as the
 * reconnection delay, and events split at every byte boundary.
 */

const rig = useChatRig({ withModel: false });
const { openPage, server } = useChatPage(rig);

const encoder = new TextEncoder();
const BOM = [0xef, 0xbb, 0xbf];

type FollowRun = (
  response: Response,
  reopen: (lastId: string | undefined) => Promise<Response | 'finished' | 'unreachable'>,
  onEvent: (event: unknown) => void,
) => Promise<void>;

/** Runs followRun in the page over `streams` (each a list of byte chunks); returns what it saw. */
async function followInPage(page: import('playwright-core').Page, streams: number[][][]) {
  // The page's own module, loaded as the page loads it (a function passed to evaluate is
  // transformed by vitest, whose dynamic import the browser does not have).
  await page.evaluate("import('/run-stream.js').then((m) => { globalThis.followRun = m.followRun; })");
  return page.evaluate(async (bodies) => {
    const { followRun } = globalThis as unknown as { followRun: FollowRun };
    const responseOf = (chunks: number[][]) =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(Uint8Array.from(chunk));
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const events: unknown[] = [];
    const reopened: { lastId: string | undefined; afterMs: number }[] = [];
    let last = performance.now();
    let next = 1;
    const first = bodies[0] ?? [];
    await followRun(
      responseOf(first),
      async (lastId: string | undefined) => {
        reopened.push({ lastId, afterMs: performance.now() - last });
        last = performance.now();
        const body = bodies[next++];
        return body ? responseOf(body) : 'finished';
      },
      (event: unknown) => events.push(event),
    );
    return { events, reopened };
  }, streams);
}

const splits = (text: string, prefix: number[] = []) => {
  const bytes = [...prefix, ...encoder.encode(text)];
  const all: number[][][] = [];
  for (let at = 1; at < bytes.length; at++) all.push([bytes.slice(0, at), bytes.slice(at)]);
  return all;
};

describe('the page reads a run stream by the WHATWG rules', () => {
  it('serves the parser the page imports', async () => {
    const response = await fetch(`${server().url}/vendor/eventsource-parser.js`);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(await response.text()).toContain('function createParser');
  });

  it('reads LF, CRLF and lone CR line endings and a leading BOM, split at every byte boundary', async () => {
    const { page, close } = await openPage();
    const done = { type: 'done', status: 'completed', text: 'é' };
    for (const end of ['\n', '\r\n', '\r']) {
      const body = `: open${end}${end}id: run_a:1${end}data: ${JSON.stringify(done)}${end}${end}`;
      for (const chunks of splits(body, BOM)) {
        const seen = await followInPage(page, [chunks]);
        expect(seen).toEqual({ events: [done], reopened: [] });
      }
    }
    await close();
  });

  it('reconnects after the server’s `retry:` delay with the last event id, and joins multi-line data', async () => {
    const { page, close } = await openPage();
    const first = 'retry: 20\r\rid: run_a:1\rdata: {"type":"text_delta",\rdata: "text":"Hi"}\r\r';
    const second = 'id: run_a:2\ndata: {"type":"done","status":"completed","text":"Hi"}\n\n';
    const seen = await followInPage(page, [[[...encoder.encode(first)]], [[...encoder.encode(second)]]]);
    expect(seen.events).toEqual([
      { type: 'text_delta', text: 'Hi' },
      { type: 'done', status: 'completed', text: 'Hi' },
    ]);
    expect(seen.reopened).toHaveLength(1);
    expect(seen.reopened[0]?.lastId).toBe('run_a:1');
    // The page's own first delay is 500 ms; the server asked for 20.
    expect(seen.reopened[0]?.afterMs).toBeLessThan(400);
    await close();
  });
});
