import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayEngine, type GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import { DEFAULT_CONTENT_URL } from '../options.ts';
import { CRM, type GatewayRig, startRig, TOKEN } from '../testing/gateway-rig.ts';
import { type AirtableGateway, createAirtableGateway } from './airtable-gateway.ts';
import type { UploadedAttachment } from './attachments.ts';

// uploadAttachment: Airtable's upload-attachment endpoint lives on its content origin
// (content.airtable.com), yet goes through the engine like every call, as a write.

const FILE = {
  contentType: 'text/plain',
  filename: 'hello.txt',
  file: Buffer.from('hello').toString('base64'),
};
const ANSWER: UploadedAttachment = {
  id: 'recAAAAAAAAAAAAAA',
  createdTime: '2026-01-01T00:00:00.000Z',
  fields: {
    fldAAAAAAAAAAAAAA: [
      { id: 'attAAAAAAAAAAAAAA', url: 'https://files.example/hello.txt', filename: 'hello.txt', size: 5 },
    ],
  },
};

interface Sent {
  url: string;
  method: string;
  authorization?: string;
  body?: unknown;
}

/** A client over an engine whose upstream is `answer`, recording every upload attempt. */
async function fakeAirtable(answer: () => Promise<Response>, options: { contentUrl?: string } = {}) {
  const uploads: Sent[] = [];
  const engine = await createGatewayEngine({
    backoffBaseMs: 0,
    ...options,
    fetch: async (input, init) => {
      const url = String(input);
      if (url.endsWith('/v0/meta/whoami')) return Response.json({ id: 'usrAAAAAAAAAAAAAA' });
      const headers = init?.headers as Record<string, string>;
      uploads.push({
        url,
        method: String(init?.method),
        authorization: headers.authorization,
        body: JSON.parse(String(init?.body)),
      });
      return answer();
    },
  });
  const client = createAirtableGateway({ engine, token: 'patFAKE' });
  return {
    uploads,
    client,
    close: async () => {
      await client.close();
      await engine.close();
    },
  };
}

/** A fetch failure as undici reports it, with the system error code on its cause. */
const networkError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

describe('uploadAttachment', () => {
  it("sends Airtable's JSON to the content origin, not the API's, and returns the field", async () => {
    const fake = await fakeAirtable(async () => Response.json(ANSWER));
    open.push(fake);
    const answer = await fake.client.uploadAttachment(
      'appAAAAAAAAAAAAAA',
      'recAAAAAAAAAAAAAA',
      'My Files',
      FILE,
    );
    expect(answer).toEqual(ANSWER);
    expect(fake.uploads).toEqual([
      {
        url: `${DEFAULT_CONTENT_URL}/v0/appAAAAAAAAAAAAAA/recAAAAAAAAAAAAAA/My%20Files/uploadAttachment`,
        method: 'POST',
        authorization: 'Bearer patFAKE',
        body: FILE,
      },
    ]);
  });

  it('is a write: an answer lost after sending, or a 500, is never sent again', async () => {
    const lost = await fakeAirtable(async () => {
      throw networkError('ECONNRESET');
    });
    const failed = await fakeAirtable(async () =>
      Response.json({ error: { type: 'SERVER_ERROR' } }, { status: 500 }),
    );
    open.push(lost, failed);
    await expect(lost.client.uploadAttachment('appA', 'recA', 'Files', FILE)).rejects.toMatchObject({
      code: 'GATEWAY_WRITE_OUTCOME_UNKNOWN',
    });
    const error = await failed.client
      .uploadAttachment('appA', 'recA', 'Files', FILE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'AIRTABLE_ERROR', upstreamStatus: 500 });
    expect([lost.uploads.length, failed.uploads.length]).toEqual([1, 1]);
  });

  it('is sent again only when it provably never left: a refused connection', async () => {
    let attempts = 0;
    const fake = await fakeAirtable(async () => {
      attempts++;
      if (attempts === 1) throw networkError('ECONNREFUSED');
      return Response.json(ANSWER);
    });
    open.push(fake);
    expect(await fake.client.uploadAttachment('appA', 'recA', 'Files', FILE)).toEqual(ANSWER);
    expect(fake.uploads).toHaveLength(2);
  });
});

describe('the content origin (contentUrl)', () => {
  const contentUrlOf = async (options: { upstreamUrl?: string; contentUrl?: string }) => {
    const engine: GatewayEngine = await createGatewayEngine(options);
    await engine.close();
    return engine.options.contentUrl;
  };

  it('is content.airtable.com for Airtable, the upstream itself for anything else, or as given', async () => {
    expect(await contentUrlOf({})).toBe('https://content.airtable.com');
    expect(await contentUrlOf({ upstreamUrl: 'https://api.airtable.com/' })).toBe(
      'https://content.airtable.com',
    );
    expect(await contentUrlOf({ upstreamUrl: 'http://127.0.0.1:8010' })).toBe('http://127.0.0.1:8010');
    expect(
      await contentUrlOf({ upstreamUrl: 'https://egress.example', contentUrl: 'https://content.example/' }),
    ).toBe('https://content.example');
  });

  it('must be a URL', async () => {
    await expect(contentUrlOf({ contentUrl: 'content.airtable.com' })).rejects.toMatchObject({
      code: 'GATEWAY_INVALID_OPTIONS',
    });
  });
});

describe('against the emulator', () => {
  let rig: GatewayRig;
  let client: AirtableGateway;
  let companyId: string;
  beforeAll(async () => {
    rig = await startRig();
    client = createAirtableGateway({ engine: rig.engine, token: TOKEN });
    companyId = (await client.listRecords(CRM, 'Companies', { maxRecords: 1 }))[0]?.id as string;
  });
  afterAll(async () => {
    await client.close();
    await rig.close();
  });

  const logos = async () =>
    ((await client.getRecord(CRM, 'Companies', companyId)).fields.Logo as
      | { filename: string }[]
      | undefined) ?? [];

  it('lands in the record, and a record read cached before it is not served after it', async () => {
    const before = await logos();
    await client.uploadAttachment(CRM, companyId, 'Logo', FILE);
    expect((await logos()).map((a) => a.filename)).toEqual([...before.map((a) => a.filename), 'hello.txt']);
  });

  it("is proxied like any Airtable call, to the emulator's content endpoint", async () => {
    const res = await rig.viaGateway(`/v0/${CRM}/${companyId}/Logo/uploadAttachment`, {
      method: 'POST',
      body: JSON.stringify({ ...FILE, filename: 'proxied.txt' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as UploadedAttachment;
    expect(Object.values(body.fields)[0]?.at(-1)).toMatchObject({ filename: 'proxied.txt', size: 5 });
  });
});
