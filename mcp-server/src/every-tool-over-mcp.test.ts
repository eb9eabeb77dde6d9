import { createCatalogue, OPEN_POLICY } from '@airsuite/tools';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogueClient,
  SAMPLE_CRM as CRM,
  startCatalogueClient,
  resultText as text,
} from './catalogue-client-kit.ts';

let kit: CatalogueClient;
let client: Client;
let deal = '';
let company = '';

beforeAll(async () => {
  kit = await startCatalogueClient('every-tool-over-mcp-token');
  client = kit.client;
  const first = await kit.airtable.listRecords(CRM, 'Deals', { maxRecords: 1 });
  deal = first[0]?.id ?? '';
  company = (await kit.airtable.listRecords(CRM, 'Companies', { maxRecords: 1 }))[0]?.id ?? '';
});
afterAll(async () => {
  await kit.close();
});

type Args = () => Record<string, unknown>;

/** For each tool: arguments that succeed, and arguments a model might get wrong, with the code it is told. */
const cases: [string, Args, Args, string][] = [
  // An argument the tool does not take is refused by name, not ignored (runTool, for every face).
  ['list_bases', () => ({}), () => ({ unexpected: 1 }), 'TOOL_INVALID_INPUT'],
  ['describe_base', () => ({ base_id: CRM }), () => ({ base_id: 'appNope0000000000' }), 'TOOL_UNKNOWN_BASE'],
  [
    'describe_table',
    () => ({ base_id: CRM, table: 'Deals' }),
    () => ({ base_id: CRM, table: 'Deal' }),
    'TOOL_UNKNOWN_TABLE',
  ],
  [
    'list_records',
    () => ({ base_id: CRM, table: 'Deals', page_size: 5 }),
    () => ({ base_id: CRM, table: 'Deals', sort: [{ field: 'Amout' }] }),
    'TOOL_UNKNOWN_FIELD',
  ],
  [
    'search_records',
    () => ({ base_id: CRM, table: 'Companies', query: "o'" }),
    () => ({ base_id: CRM, table: 'Companies', query: 'x', search_fields: ['Nme'] }),
    'TOOL_UNKNOWN_FIELD',
  ],
  [
    'get_record',
    () => ({ base_id: CRM, table: 'Deals', record_id: deal }),
    () => ({ base_id: CRM, table: 'Deals', record_id: 'recMissing0000000' }),
    'TOOL_INVALID_INPUT',
  ],
  [
    'count_records',
    () => ({ base_id: CRM, table: 'Deals' }),
    () => ({ base_id: CRM, table: 'Deals', filter: [{ field: 'Amount', op: 'gt', value: 'lots' }] }),
    'TOOL_INVALID_FILTER',
  ],
  [
    'aggregate_records',
    () => ({ base_id: CRM, table: 'Deals', metrics: [{ op: 'sum', field: 'Amount' }], group_by: 'Stage' }),
    () => ({ base_id: CRM, table: 'Deals', metrics: [{ op: 'sum', field: 'Amont' }] }),
    'TOOL_UNKNOWN_FIELD',
  ],
  [
    'create_records',
    () => ({
      base_id: CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'Every Tool Ltd' } }],
      idempotency_key: 'every-tool-create',
    }),
    () => ({ base_id: CRM, table: 'Companies', records: [{ fields: { Nmae: 'x' } }] }),
    'TOOL_UNKNOWN_FIELD',
  ],
  [
    'get_operation',
    () => ({ idempotency_key: 'every-tool-create' }),
    () => ({ operation_id: 'op_000000000000000000000000' }),
    'TOOL_OPERATION_NOT_FOUND',
  ],
  ['list_operations', () => ({ state: 'succeeded' }), () => ({ state: 'lost' }), 'TOOL_INVALID_INPUT'],
  [
    'update_records',
    () => ({ base_id: CRM, table: 'Deals', records: [{ id: deal, fields: { Probability: 0.5 } }] }),
    () => ({ base_id: CRM, table: 'Deals', records: [{ id: deal, fields: { Probabilty: 0.5 } }] }),
    'TOOL_UNKNOWN_FIELD',
  ],
  [
    'delete_records',
    () => ({ base_id: CRM, table: 'Deals', record_ids: [deal], dry_run: true }),
    () => ({ base_id: CRM, table: 'Dels', record_ids: [deal] }),
    'TOOL_UNKNOWN_TABLE',
  ],
  [
    'create_table',
    () => ({ base_id: CRM, name: 'Every Tool', fields: [{ name: 'Name', type: 'singleLineText' }] }),
    () => ({ base_id: CRM, name: 'Bad', fields: [{ name: 'F', type: 'formula' }] }),
    'TOOL_INVALID_INPUT',
  ],
  [
    'update_table',
    () => ({ base_id: CRM, table: 'Every Tool', description: 'Made by a test' }),
    () => ({ base_id: CRM, table: 'No Such Table', name: 'x' }),
    'TOOL_UNKNOWN_TABLE',
  ],
  [
    'create_field',
    () => ({ base_id: CRM, table: 'Every Tool', name: 'Notes', type: 'multilineText' }),
    () => ({ base_id: CRM, table: 'Every Tool', name: 'Auto', type: 'autoNumber' }),
    'TOOL_INVALID_INPUT',
  ],
  [
    'update_field',
    () => ({ base_id: CRM, table: 'Every Tool', field: 'Notes', name: 'Remarks' }),
    () => ({ base_id: CRM, table: 'Every Tool', field: 'Nots', name: 'x' }),
    'TOOL_UNKNOWN_FIELD',
  ],
  [
    'create_comment',
    () => ({ base_id: CRM, table: 'Deals', record_id: deal, text: 'Checked by a test' }),
    () => ({ base_id: CRM, table: 'Deals', record_id: 'recMissing0000000', text: 'x' }),
    'TOOL_INVALID_INPUT',
  ],
  [
    'upload_attachment',
    () => ({
      base_id: CRM,
      table: 'Companies',
      record_id: company,
      field: 'Logo',
      filename: 'hello.txt',
      content_type: 'text/plain',
      content_base64: Buffer.from('hello').toString('base64'),
    }),
    () => ({
      base_id: CRM,
      table: 'Companies',
      record_id: company,
      field: 'Name',
      filename: 'hello.txt',
      content_type: 'text/plain',
      content_base64: 'aGVsbG8=',
    }),
    'TOOL_INVALID_INPUT',
  ],
  [
    'list_comments',
    () => ({ base_id: CRM, table: 'Deals', record_id: deal }),
    () => ({ base_id: CRM, table: 'Deals', record_id: 'recMissing0000000' }),
    'TOOL_INVALID_INPUT',
  ],
];

describe('every catalogue tool through a real MCP client', () => {
  it('covers the whole catalogue', () => {
    expect(cases.map(([name]) => name).sort()).toEqual(
      createCatalogue(OPEN_POLICY)
        .map((t) => t.name)
        .sort(),
    );
  });

  for (const [name, ok, bad, code] of cases) {
    it(`${name}: succeeds with structured content, and fails with ${code} when called wrongly`, async () => {
      const good = await client.callTool({ name, arguments: ok() });
      expect(good.isError, text(good)).toBeFalsy();
      expect(good.structuredContent).toBeTypeOf('object');
      expect(text(good).length).toBeGreaterThan(0);
      const wrong = await client.callTool({ name, arguments: bad() });
      expect(wrong.isError).toBe(true);
      expect(text(wrong).startsWith(`${code}: `), text(wrong)).toBe(true);
    });
  }
});
