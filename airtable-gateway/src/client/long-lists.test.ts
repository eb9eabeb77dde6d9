import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import toQueryString from 'airtable/lib/object_to_query_param_string.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_LIST_REQUEST_LINE_BYTES,
  NODE_MAX_HEADER_BYTES,
  requestLineBytes,
} from '../wire/list-by-post.ts';
import { BASE, type ClientRig, SEEDED, startClientRig } from './test-kit.ts';

interface Seen {
  method: string;
  url: string;
  lineBytes: number;
}

/**
 * An upstream front like Airtable's (a Node server with Node's default 16 KiB head limit),
 * passing every request on to the emulator and noting how each one arrived.
 */
async function nodeFront() {
  const seen: Seen[] = [];
  let target = '';
  const server = createServer(async (req, res) => {
    const url = req.url ?? '';
    seen.push({
      method: req.method ?? '',
      url,
      lineBytes: Buffer.byteLength(`${req.method} ${url} HTTP/1.1`),
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = { ...req.headers } as Record<string, string>;
    for (const name of ['host', 'connection', 'content-length', 'accept-encoding']) delete headers[name];
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    forwardTo: (url: string) => {
      target = url;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A filter matching row 7 only, padded with `pad` so its GET request line has a chosen size. */
const rowSeven = (pad: string) => `AND({Index}=7, LEN('${pad}')>0)`;
const getLineBytes = (pad: string) =>
  requestLineBytes('GET', `/v0/${BASE}/${SEEDED}?${toQueryString({ filterByFormula: rowSeven(pad) })}`);
/** Padding of plain ASCII (one byte each) that makes the GET request line exactly `bytes` long. */
const padTo = (bytes: number) => 'x'.repeat(bytes - getLineBytes(''));

let front: Awaited<ReturnType<typeof nodeFront>>;
/** The list requests the front saw (the owner lookup by whoami left out). */
const lists = () => front.seen.filter((s) => s.url.startsWith(`/v0/${BASE}/`));
let rig: ClientRig;
beforeAll(async () => {
  front = await nodeFront();
  rig = await startClientRig({ engine: { upstreamUrl: front.url } });
  front.forwardTo(rig.emulator.url);
});
afterAll(async () => {
  await rig?.close();
  await front?.close();
});

describe('the switch from GET to POST …/listRecords', () => {
  it('keeps the request line comfortably under Node’s 16 KiB head limit and Airtable’s URL limit', () => {
    expect(MAX_LIST_REQUEST_LINE_BYTES).toBeLessThanOrEqual(NODE_MAX_HEADER_BYTES - 2048);
    expect(MAX_LIST_REQUEST_LINE_BYTES).toBeLessThan(16_000);
  });

  it('measures the whole request line, as sent: method, path, percent-encoded query and HTTP/1.1', () => {
    expect(requestLineBytes('GET', '/v0/appA/T?q=1')).toBe('GET /v0/appA/T?q=1 HTTP/1.1'.length);
    expect(requestLineBytes('GET', 'https://api.airtable.com/v0/appA/T?q=1')).toBe(
      'GET /v0/appA/T?q=1 HTTP/1.1'.length,
    );
    // A character fetch sends as %C3%A9 counts six bytes, whether or not it came encoded.
    expect(requestLineBytes('GET', '/v0/appA/T?q=é')).toBe(requestLineBytes('GET', '/v0/appA/T?q=%C3%A9'));
    expect(requestLineBytes('GET', '/v0/appA/T?q=é') - requestLineBytes('GET', '/v0/appA/T?q=e')).toBe(5);
  });

  for (const [label, pad, method] of [
    ['a list at the limit goes by GET', () => padTo(MAX_LIST_REQUEST_LINE_BYTES), 'GET'],
    ['one byte over goes by POST', () => padTo(MAX_LIST_REQUEST_LINE_BYTES + 1), 'POST'],
    // Under Airtable's 16,000-character URL limit, but its head is over 16 KiB with the headers.
    ['a 15,990-byte request line goes by POST', () => padTo(15_990), 'POST'],
    ['a 70,000-byte one, accents and all, goes by POST', () => 'é'.repeat(70_000 / 6), 'POST'],
  ] as const) {
    it(`${label}, and answers the same records`, async () => {
      front.seen.length = 0;
      const page = await rig.gateway.listPage(BASE, SEEDED, { filterByFormula: rowSeven(pad()) });
      expect(page.records.map((r) => r.fields.Index)).toEqual([7]);
      expect(lists().map((s) => s.method)).toEqual([method]);
      for (const s of lists()) expect(s.lineBytes).toBeLessThanOrEqual(MAX_LIST_REQUEST_LINE_BYTES);
    });
  }

  it('follows offsets of a long list by POST, every page', async () => {
    front.seen.length = 0;
    const pad = padTo(15_000);
    const records = await rig.gateway.listRecords(BASE, SEEDED, {
      filterByFormula: `AND({Index}>=0, LEN('${pad}')>0)`,
      pageSize: 100,
    });
    expect(records).toHaveLength(250);
    expect(lists().map((s) => s.method)).toEqual(['POST', 'POST', 'POST']);
  });
});
