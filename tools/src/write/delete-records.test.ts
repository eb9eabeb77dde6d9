import { describe, expect, it } from 'vitest';
import { createRecordsTool } from './create-records.ts';
import { deleteRecordsTool } from './delete-records.ts';
import { CRM, toolError, useWriteKit } from './test-kit.ts';

const kit = useWriteKit();

async function someCompanies(n: number) {
  const out = await createRecordsTool.handler(
    {
      base_id: CRM,
      table: 'Companies',
      records: Array.from({ length: n }, (_, i) => ({ fields: { Name: `Del ${i}` } })),
    },
    kit.context(),
  );
  return out.records.map((r) => r.id as string);
}

describe('delete_records', () => {
  it('dry_run lists primary values and missing ids, deleting nothing', async () => {
    const ids = await someCompanies(2);
    const before = await kit.snapshot();
    const out = await deleteRecordsTool.handler(
      { base_id: CRM, table: 'Companies', record_ids: [...ids, 'recDoesNotExist00'], dry_run: true },
      kit.context(),
    );
    expect(out.would_delete).toEqual([
      { id: ids[0], primary: 'Del 0' },
      { id: ids[1], primary: 'Del 1' },
    ]);
    expect(out.not_found).toEqual(['recDoesNotExist00']);
    expect(await kit.snapshot()).toEqual(before);
  });

  it('deletes many records in batches with progress', async () => {
    const ids = await someCompanies(23);
    const ctx = kit.context();
    const out = await deleteRecordsTool.handler({ base_id: CRM, table: 'Companies', record_ids: ids }, ctx);
    expect(out).toMatchObject({ ok: true, deleted: 23, total: 23 });
    expect(out.records.every((r) => r.status === 'deleted')).toBe(true);
    expect(ctx.updates.map((u) => u.progress)).toEqual([10, 20, 23]);
    const left = new Set((await kit.records('Companies')).map((r) => r.id));
    expect(ids.some((id) => left.has(id))).toBe(false);
  });

  it('reports a rejected batch and refuses read-only deployments', async () => {
    const out = await deleteRecordsTool.handler(
      { base_id: CRM, table: 'Companies', record_ids: ['recDoesNotExist00'] },
      kit.context(),
    );
    expect(out.ok).toBe(false);
    expect(out.records[0]?.status).toBe('failed');
    const ro = await toolError(
      deleteRecordsTool.handler(
        { base_id: CRM, table: 'Companies', record_ids: ['recX'] },
        kit.context({ readOnly: true }),
      ),
    );
    expect(ro.code).toBe('TOOL_READ_ONLY');
  });

  it('is annotated destructive', () => {
    expect(deleteRecordsTool.annotations).toMatchObject({
      destructiveHint: true,
      idempotentHint: true,
      readOnlyHint: false,
    });
  });
});
