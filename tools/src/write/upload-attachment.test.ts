import { MAX_UPLOAD_BYTES } from '@airsuite/airtable-gateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRecordTool } from '../read/get-record.ts';
import { CRM, toolError, useWriteKit } from './test-kit.ts';
import { uploadAttachmentTool } from './upload-attachment.ts';

// upload_attachment through the gateway and the emulator, end to end: the file lands in the
// record's attachment field, after the files already there, and its URL serves the same bytes.

const kit = useWriteKit();

/** Every byte value: a file no text round trip would keep intact. */
const BYTES = Buffer.from([...Array(256).keys()].reverse());

let company: string;
beforeAll(async () => {
  company = (await kit.records('Companies'))[0]?.id as string;
});

const input = (overrides: Record<string, unknown> = {}) => ({
  base_id: CRM,
  table: 'Companies',
  record_id: company,
  field: 'Logo',
  filename: 'logo.png',
  content_type: 'image/png',
  content_base64: BYTES.toString('base64'),
  ...overrides,
});

const upload = (overrides: Record<string, unknown> = {}, ctx = kit.context()) =>
  uploadAttachmentTool.handler(input(overrides), ctx);

describe('upload_attachment', () => {
  it('attaches the file, serves the same bytes at its URL, and get_record shows it', async () => {
    const out = await upload();
    expect(out).toMatchObject({ filename: 'logo.png', size: BYTES.length, type: 'image/png' });
    expect(out.id).toMatch(/^att[A-Za-z0-9]{14}$/);

    const file = await fetch(out.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(BYTES)).toBe(true);

    const { record } = await getRecordTool.handler(
      { base_id: CRM, table: 'Companies', record_id: company },
      kit.context(),
    );
    expect(record.fields.Logo).toContainEqual({ filename: 'logo.png', url: out.url });
  });

  it('adds to the files already in the field, and takes the field by id and base64 wrapped in lines', async () => {
    const before = ((await kit.records('Companies')).find((r) => r.id === company)?.fields.Logo ?? []) as {
      id: string;
    }[];
    const wrapped = BYTES.toString('base64').replace(/.{76}/g, '$&\n');
    const out = await upload({ field: await logoFieldId(), content_base64: wrapped, filename: 'second.bin' });
    const after = (await kit.records('Companies')).find((r) => r.id === company)?.fields.Logo as {
      id: string;
    }[];
    expect(after.map((a) => a.id)).toEqual([...before.map((a) => a.id), out.id]);
    expect(Buffer.from(await (await fetch(out.url)).arrayBuffer()).equals(BYTES)).toBe(true);
  });

  it.each([
    [
      'a file over 5 MB',
      { content_base64: Buffer.alloc(MAX_UPLOAD_BYTES + 1).toString('base64') },
      'TOOL_INVALID_INPUT',
    ],
    [
      'a data: URL',
      { content_base64: `data:image/png;base64,${BYTES.toString('base64')}` },
      'TOOL_INVALID_INPUT',
    ],
    ['cut-off base64', { content_base64: 'aGVsbG' }, 'TOOL_INVALID_INPUT'],
    ['a field that is not an attachment field', { field: 'Industry' }, 'TOOL_INVALID_INPUT'],
    ['an unknown field', { field: 'Logos' }, 'TOOL_UNKNOWN_FIELD'],
    ['an unknown record', { record_id: 'recDoesNotExist00' }, 'TOOL_INVALID_INPUT'],
    ['something that is not a record id', { record_id: 'Acme' }, 'TOOL_INVALID_INPUT'],
    ['an unknown table', { table: 'Compnies' }, 'TOOL_UNKNOWN_TABLE'],
  ])('refuses %s with %s, writing nothing', async (_label, overrides, code) => {
    const before = await kit.snapshot();
    const error = await toolError(upload(overrides));
    expect(error.code).toBe(code);
    expect(await kit.snapshot()).toEqual(before);
  });

  it('says how big a file is and how big it may be', async () => {
    const error = await toolError(
      upload({ content_base64: Buffer.alloc(MAX_UPLOAD_BYTES + 1).toString('base64') }),
    );
    expect(error.details).toMatchObject({ bytes: MAX_UPLOAD_BYTES + 1, maxBytes: MAX_UPLOAD_BYTES });
  });

  it('names the attachment fields when the field is another type', async () => {
    const error = await toolError(upload({ field: 'Industry' }));
    expect(error.details).toMatchObject({ field: 'Industry', attachmentFields: ['Logo'] });
  });

  it('refuses in a read-only deployment', async () => {
    const error = await toolError(upload({}, kit.context({ readOnly: true })));
    expect(error.code).toBe('TOOL_READ_ONLY');
  });

  it('is a write that is not idempotent: each call adds a file', () => {
    expect(uploadAttachmentTool.writes).toBe(true);
    expect(uploadAttachmentTool.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
  });
});

async function logoFieldId(): Promise<string> {
  const schema = await kit.airtable().getBaseSchema(CRM);
  const companies = schema.tables.find((t) => t.name === 'Companies');
  return companies?.fields.find((f) => f.name === 'Logo')?.id as string;
}
