import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_UPLOAD_BYTES } from '@airsuite/airtable-gateway/wire';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiRecord,
  bearer,
  expectBareNotFound,
  expectError,
  exportText,
  fieldNamed,
  json,
  SALES_CRM_BASE_ID,
  schemaTable,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Airtable's upload-attachment endpoint (content.airtable.com, here on the emulator's own
// origin): POST /v0/{baseId}/{recordId}/{field}/uploadAttachment with {contentType, file
// (base64), filename} appends the file to the record's attachment field; the file is served
// back at the attachment's URL.

const B = SALES_CRM_BASE_ID;

interface AttachmentJson {
  id: string;
  url: string;
  filename: string;
  size: number;
  type: string;
}

let t: TestEmulator;
let companyId: string;
let logoFieldId: string;

/** Bytes no text encoding would keep: every byte value, twice. */
const BINARY = Buffer.from([...Array(256).keys(), ...Array(256).keys()]);

const uploadPath = (recordId: string, field: string, base = B) =>
  `/v0/${base}/${recordId}/${encodeURIComponent(field)}/uploadAttachment`;

const upload = (body: unknown, recordId = companyId, field = 'Logo', init: RequestInit = {}) =>
  t.api(uploadPath(recordId, field), { ...send('POST', body), ...init });

const file = (bytes: Buffer = BINARY, filename = 'pixels.bin', contentType = 'application/octet-stream') => ({
  contentType,
  file: bytes.toString('base64'),
  filename,
});

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

beforeEach(async () => {
  await json(await t.admin('/reset', { body: { seed: 'sample' } }));
  const companies = await schemaTable(t, B, 'Companies');
  logoFieldId = fieldNamed(companies, 'Logo').id;
  const { records } = await json<{ records: ApiRecord[] }>(await t.api(`/v0/${B}/Companies?pageSize=1`));
  companyId = records[0]?.id as string;
});

describe('uploading a file', () => {
  it('appends it to the field and answers with the record holding only that field, by field id', async () => {
    const before = await json<ApiRecord>(await t.api(`/v0/${B}/Companies/${companyId}`));
    const previous = (before.fields.Logo as AttachmentJson[] | undefined) ?? [];
    const answer = await json<ApiRecord>(await upload(file(BINARY, 'logo.png', 'image/png')));
    expect(answer.id).toBe(companyId);
    expect(answer.createdTime).toBe(before.createdTime);
    expect(Object.keys(answer.fields)).toEqual([logoFieldId]);
    const cell = answer.fields[logoFieldId] as AttachmentJson[];
    expect(cell.slice(0, -1)).toEqual(previous);
    expect(cell.at(-1)).toMatchObject({ filename: 'logo.png', size: BINARY.length, type: 'image/png' });
    expect(cell.at(-1)?.id).toMatch(/^att[A-Za-z0-9]{14}$/);

    const after = await json<ApiRecord>(await t.api(`/v0/${B}/Companies/${companyId}`));
    expect(after.fields.Logo).toEqual(cell);
  });

  it('serves the same bytes back at its URL, with its content type, to anyone holding the URL', async () => {
    const answer = await json<ApiRecord>(await upload(file(BINARY, 'scan.pdf', 'application/pdf')));
    const added = (answer.fields[logoFieldId] as AttachmentJson[]).at(-1) as AttachmentJson;
    expect(added.url.startsWith(`${t.url}/`)).toBe(true);

    const res = await fetch(added.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    // The file shares the emulator's origin with its admin API: it must never run as a page there.
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(BINARY)).toBe(true);

    const head = await fetch(added.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(BINARY.length));
  });

  it('names the field by id or by name in any case, and finds the record whatever its table', async () => {
    const byId = await json<ApiRecord>(await upload(file(), companyId, logoFieldId));
    const byName = await json<ApiRecord>(await upload(file(), companyId, 'logo'));
    expect((byName.fields[logoFieldId] as AttachmentJson[]).length).toBe(
      (byId.fields[logoFieldId] as AttachmentJson[]).length + 1,
    );
  });

  it(`takes a file of exactly ${MAX_UPLOAD_BYTES} bytes, past the server-wide body limit`, async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES, 7);
    const answer = await json<ApiRecord>(await upload(file(big, 'big.bin')));
    const added = (answer.fields[logoFieldId] as AttachmentJson[]).at(-1) as AttachmentJson;
    expect(added.size).toBe(MAX_UPLOAD_BYTES);
    expect(Buffer.from(await (await fetch(added.url)).arrayBuffer()).equals(big)).toBe(true);
  });

  it('answers 404 for a URL whose file the emulator does not hold, and forgets files on reset', async () => {
    const answer = await json<ApiRecord>(await upload(file()));
    const added = (answer.fields[logoFieldId] as AttachmentJson[]).at(-1) as AttachmentJson;
    await expectBareNotFound(await fetch(`${t.url}/attachments/attAAAAAAAAAAAAAA/x.bin`));
    await json(await t.admin('/reset', { body: { seed: 'sample' } }));
    await expectBareNotFound(await fetch(added.url));
  });
});

describe('refusing an upload, as Airtable does, with nothing stored', () => {
  const cases: [string, () => Promise<Response>, number, string][] = [
    ['a file over 5 MB', () => upload(file(Buffer.alloc(MAX_UPLOAD_BYTES + 1))), 413, 'REQUEST_TOO_LARGE'],
    [
      'a body far past the limit',
      () => upload(file(Buffer.alloc(MAX_UPLOAD_BYTES * 2))),
      413,
      'REQUEST_TOO_LARGE',
    ],
    [
      'a data: URL instead of base64',
      () => upload({ ...file(), file: `data:image/png;base64,${BINARY.toString('base64')}` }),
      422,
      'INVALID_REQUEST_UNKNOWN',
    ],
    ['cut-off base64', () => upload({ ...file(), file: 'aGk' }), 422, 'INVALID_REQUEST_UNKNOWN'],
    [
      'no filename',
      () => upload({ contentType: 'text/plain', file: 'aGk=' }),
      422,
      'INVALID_REQUEST_UNKNOWN',
    ],
    ['no content type', () => upload({ filename: 'a.txt', file: 'aGk=' }), 422, 'INVALID_REQUEST_UNKNOWN'],
    [
      'a field that is not an attachment field',
      () => upload(file(), companyId, 'Name'),
      422,
      'INVALID_VALUE_FOR_COLUMN',
    ],
    ['an unknown field', () => upload(file(), companyId, 'Logos'), 422, 'UNKNOWN_FIELD_NAME'],
    ['an unknown record', () => upload(file(), 'recAAAAAAAAAAAAAA'), 404, 'MODEL_ID_NOT_FOUND'],
    [
      'a body that is not JSON',
      () => t.api(uploadPath(companyId, 'Logo'), { method: 'POST', body: '{' }),
      400,
      'INVALID_REQUEST_BODY',
    ],
    [
      'no token',
      () => upload(file(), companyId, 'Logo', { headers: { authorization: '' } }),
      401,
      'AUTHENTICATION_REQUIRED',
    ],
  ];

  it.each(cases)('%s', async (_label, run, status, type) => {
    const before = await exportText(t);
    await expectError(await run(), status, type);
    expect(await exportText(t)).toBe(before);
  });

  it('a token without data.records:write: 403, as for any write it may not make', async () => {
    const { token } = await json<{ token: string }>(
      await t.admin('/tokens', { body: { scopes: ['data.records:read', 'schema.bases:read'] } }),
    );
    const res = await t.api(uploadPath(companyId, 'Logo'), { ...send('POST', file()), ...bearer(token) });
    await expectError(res, 403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
  });

  it('an unknown base: the bare 404', async () => {
    await expectBareNotFound(
      await t.api(uploadPath(companyId, 'Logo', 'appAAAAAAAAAAAAAA'), send('POST', file())),
    );
  });
});

describe('uploaded files with a data directory', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'airsuite-uploads-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the bytes beside the state file, which stays small, and serves them after a restart', async () => {
    const big = Buffer.alloc(1_000_000, 3);
    const first = await startTestEmulator({ dataDir });
    const [record] = (await json<{ records: ApiRecord[] }>(await first.api(`/v0/${B}/Companies?pageSize=1`)))
      .records;
    const answer = await json<ApiRecord>(
      await first.api(uploadPath(record?.id as string, 'Logo'), send('POST', file(big, 'kept.bin'))),
    );
    const added = Object.values(answer.fields)[0] as AttachmentJson[];
    const path = new URL((added.at(-1) as AttachmentJson).url).pathname;
    await first.close();

    expect((await stat(join(dataDir, 'emulator-state.json'))).size).toBeLessThan(big.length / 2);
    expect(await readdir(join(dataDir, 'attachments'))).toHaveLength(2);
    expect(await readFile(join(dataDir, 'emulator-state.json'), 'utf8')).toContain('kept.bin');

    const second = await startTestEmulator({ dataDir });
    try {
      const res = await fetch(`${second.url}${path}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
      // The id in a URL becomes a path on disk only once it is known to be an attachment id.
      await expectBareNotFound(await fetch(`${second.url}/attachments/..%2Femulator-state.json/x`));
    } finally {
      await second.close();
    }
  });
});
