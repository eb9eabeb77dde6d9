import { describe, expect, it } from 'vitest';
import { createFieldTool } from './create-field.ts';
import { createRecordsTool } from './create-records.ts';
import { createTableTool } from './create-table.ts';
import { CRM, toolError, useWriteKit } from './test-kit.ts';
import { updateFieldTool } from './update-field.ts';
import { updateTableTool } from './update-table.ts';

const kit = useWriteKit();

describe('create_table / update_table', () => {
  it('creates a table whose records can then be written', async () => {
    const table = await createTableTool.handler(
      {
        base_id: CRM,
        name: 'Invoices',
        fields: [
          { name: 'Number', type: 'singleLineText' },
          { name: 'Total', type: 'currency', options: { precision: 2, symbol: '$' } },
        ],
      },
      kit.context(),
    );
    expect(table.id).toMatch(/^tbl/);
    expect(table.fields.map((f) => f.name)).toEqual(['Number', 'Total']);
    const out = await createRecordsTool.handler(
      { base_id: CRM, table: 'Invoices', records: [{ fields: { Number: 'INV-1', Total: 9.5 } }] },
      kit.context(),
    );
    expect(out.ok).toBe(true);
  });

  it('refuses computed and unknown types, duplicates and read-only deployments', async () => {
    const computed = await toolError(
      createTableTool.handler(
        { base_id: CRM, name: 'T1', fields: [{ name: 'F', type: 'formula', options: { formula: '1' } }] },
        kit.context(),
      ),
    );
    expect(computed.code).toBe('TOOL_INVALID_INPUT');
    const typo = await toolError(
      createTableTool.handler(
        { base_id: CRM, name: 'T2', fields: [{ name: 'F', type: 'singleLinText' }] },
        kit.context(),
      ),
    );
    expect(typo.code).toBe('TOOL_INVALID_INPUT');
    expect(typo.message).toContain('singleLineText');
    const taken = await toolError(
      createTableTool.handler(
        { base_id: CRM, name: 'deals', fields: [{ name: 'F', type: 'singleLineText' }] },
        kit.context(),
      ),
    );
    expect(taken.code).toBe('TOOL_INVALID_INPUT');
    const ro = await toolError(
      createTableTool.handler(
        { base_id: CRM, name: 'T3', fields: [{ name: 'F', type: 'singleLineText' }] },
        kit.context({ readOnly: true }),
      ),
    );
    expect(ro.code).toBe('TOOL_READ_ONLY');
  });

  it('renames a table and rejects empty changes', async () => {
    await createTableTool.handler(
      { base_id: CRM, name: 'Scratch', fields: [{ name: 'Name', type: 'singleLineText' }] },
      kit.context(),
    );
    const out = await updateTableTool.handler(
      { base_id: CRM, table: 'Scratch', name: 'Scratch 2', description: 'Temp' },
      kit.context(),
    );
    expect(out).toMatchObject({ name: 'Scratch 2', description: 'Temp' });
    const empty = await toolError(
      updateTableTool.handler({ base_id: CRM, table: 'Scratch 2' }, kit.context()),
    );
    expect(empty.code).toBe('TOOL_INVALID_INPUT');
    const unknown = await toolError(
      updateTableTool.handler({ base_id: CRM, table: 'Scrach', name: 'x' }, kit.context()),
    );
    expect(unknown.code).toBe('TOOL_UNKNOWN_TABLE');
  });
});

describe('create_field / update_field', () => {
  it('adds a select field and renames it', async () => {
    const field = await createFieldTool.handler(
      {
        base_id: CRM,
        table: 'Deals',
        name: 'Priority',
        type: 'singleSelect',
        options: { choices: [{ name: 'High' }, { name: 'Low' }] },
      },
      kit.context(),
    );
    expect(field).toMatchObject({ name: 'Priority', type: 'singleSelect' });
    const renamed = await updateFieldTool.handler(
      { base_id: CRM, table: 'Deals', field: 'Priority', name: 'Urgency', description: 'How soon' },
      kit.context(),
    );
    expect(renamed).toMatchObject({ id: field.id, name: 'Urgency', description: 'How soon' });
  });

  it('refuses computed types, taken names, unknown fields and Airtable rejections', async () => {
    const computed = await toolError(
      createFieldTool.handler({ base_id: CRM, table: 'Deals', name: 'R', type: 'rollup' }, kit.context()),
    );
    expect(computed.code).toBe('TOOL_INVALID_INPUT');
    const taken = await toolError(
      createFieldTool.handler(
        { base_id: CRM, table: 'Deals', name: 'stage', type: 'singleLineText' },
        kit.context(),
      ),
    );
    expect(taken.code).toBe('TOOL_INVALID_INPUT');
    const unknown = await toolError(
      updateFieldTool.handler({ base_id: CRM, table: 'Deals', field: 'Amout', name: 'x' }, kit.context()),
    );
    expect(unknown.code).toBe('TOOL_UNKNOWN_FIELD');
    expect(unknown.message).toContain('"Amount"');
    const rejected = await toolError(
      createFieldTool.handler(
        { base_id: CRM, table: 'Deals', name: 'Bad select', type: 'singleSelect' },
        kit.context(),
      ),
    );
    expect(rejected.code).toBe('TOOL_AIRTABLE_ERROR');
    const ro = await toolError(
      updateFieldTool.handler(
        { base_id: CRM, table: 'Deals', field: 'Amount', name: 'x' },
        kit.context({ readOnly: true }),
      ),
    );
    expect(ro.code).toBe('TOOL_READ_ONLY');
  });
});
