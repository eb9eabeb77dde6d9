import { type Fixture, tableRecords } from '@airsuite/airtable-emulator';
import type { AirtableGateway, BatchWriteResult } from '@airsuite/airtable-gateway';
import { describe, expect, it } from 'vitest';
import type { ToolContext } from '../core/tool-context.ts';
import { createRecordsTool } from '../write/create-records.ts';
import { deleteRecordsTool } from '../write/delete-records.ts';
import { CRM, toolError, useWriteKit } from '../write/test-kit.ts';
import { updateRecordsTool } from '../write/update-records.ts';
import { getOperationTool } from './get-operation.ts';
import { listOperationsTool } from './list-operations.ts';
import { createMemoryOperationStore } from './memory-operation-store.ts';
import type { OperationStore } from './operation-store.ts';

const kit = useWriteKit();

const rows = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ fields: { Name: `${tag} ${i}`, Employees: i } }));

function contextWith(operations: OperationStore, airtable?: AirtableGateway): ToolContext {
  return { ...kit.context(), operations, ...(airtable ? { airtable } : {}) };
}

/**
 * The process "dies" right after Airtable answered chunk `chunk` of a write: the records
 * landed, the answer never reached the runner, and the operation log heard nothing more.
 */
function dyingAfter(
  store: OperationStore,
  chunk: number,
): { store: OperationStore; airtable: AirtableGateway } {
  let sent = 0;
  let dead = false;
  const real = kit.airtable();
  const die =
    <T extends unknown[]>(send: (...args: T) => Promise<BatchWriteResult>) =>
    async (...args: T): Promise<BatchWriteResult> => {
      if (dead) throw new Error('dead process');
      const answer = await send(...args);
      if (sent++ === chunk) {
        dead = true;
        throw new Error('killed before the answer was read');
      }
      return answer;
    };
  const airtable = {
    ...real,
    createMany: die(real.createMany.bind(real)),
    updateMany: die(real.updateMany.bind(real)),
    deleteMany: die(real.deleteMany.bind(real)),
  } as AirtableGateway;
  const quiet = <K extends keyof OperationStore>(key: K) =>
    ((...args: never[]) =>
      dead
        ? Promise.reject(new Error('dead process'))
        : (store[key] as (...a: never[]) => unknown)(...args)) as OperationStore[K];
  return {
    store: {
      ...store,
      leaseMs: store.leaseMs,
      recordChunk: quiet('recordChunk'),
      recordPending: quiet('recordPending'),
      finish: quiet('finish'),
      heartbeat: quiet('heartbeat'),
    },
    airtable,
  };
}

/** The Companies records whose name starts with `prefix`, from the emulator's (unlimited) export. */
async function names(prefix: string) {
  const records = tableRecords((await kit.snapshot()) as Fixture, CRM, 'Companies');
  return records.filter((r) => String(r.fields.Name).startsWith(prefix));
}

describe('idempotent multi-record writes', () => {
  it('records every write as an operation that get_operation reads back', async () => {
    const store = createMemoryOperationStore();
    const ctx = contextWith(store);
    const out = await createRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records: rows('Op', 25) },
      ctx,
    );
    expect(out.operation_id).toMatch(/^op_/);
    const op = await getOperationTool.handler({ operation_id: out.operation_id ?? '' }, ctx);
    expect(op.state).toBe('succeeded');
    expect(op.written).toBe(25);
    expect(op.records.map((r) => r.id)).toEqual(out.records.map((r) => r.id));
    const listed = await listOperationsTool.handler({ state: 'succeeded' }, ctx);
    expect(listed.operations.map((o) => o.id)).toContain(out.operation_id);
  });

  it('repeating a completed call with its key returns the stored result and writes nothing', async () => {
    const store = createMemoryOperationStore();
    const input = {
      base_id: CRM,
      table: 'Companies',
      records: rows('Replay', 12),
      idempotency_key: 'replay-1',
    };
    const first = await createRecordsTool.handler(input, contextWith(store));
    const again = await createRecordsTool.handler(input, contextWith(store));
    expect(again.replayed).toBe(true);
    expect(again.records).toEqual(first.records);
    expect(await names('Replay ')).toHaveLength(12);
  });

  it('refuses a key reused for other arguments, naming the operation', async () => {
    const store = createMemoryOperationStore();
    await createRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records: rows('Reuse', 1), idempotency_key: 'reuse-1' },
      contextWith(store),
    );
    const error = await toolError(
      createRecordsTool.handler(
        { base_id: CRM, table: 'Companies', records: rows('Other', 1), idempotency_key: 'reuse-1' },
        contextWith(store),
      ),
    );
    expect(error.code).toBe('TOOL_IDEMPOTENCY_KEY_REUSED');
    expect(error.details?.operationId).toMatch(/^op_/);
  });

  it('refuses to run a key whose call is still running elsewhere', async () => {
    const store = createMemoryOperationStore({ leaseMs: 60_000 });
    const input = { base_id: CRM, table: 'Companies', records: rows('Busy', 3), idempotency_key: 'busy-1' };
    const dying = dyingAfter(store, 0);
    await expect(
      createRecordsTool.handler(input, contextWith(dying.store, dying.airtable)),
    ).rejects.toThrow();
    const error = await toolError(createRecordsTool.handler(input, contextWith(store)));
    expect(error.code).toBe('TOOL_OPERATION_IN_PROGRESS');
    expect(error.details?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a create killed after a chunk landed unanswered: get_operation lists exactly what Airtable holds, and the key finishes it without duplicates', async () => {
    const store = createMemoryOperationStore({ leaseMs: 20 });
    const input = {
      base_id: CRM,
      table: 'Companies',
      records: rows('Crash', 95),
      idempotency_key: 'crash-1',
    };
    const dying = dyingAfter(store, 4);
    await expect(
      createRecordsTool.handler(input, contextWith(dying.store, dying.airtable)),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 40));
    const inAirtable = await names('Crash ');
    expect(inAirtable).toHaveLength(50);

    const op = await getOperationTool.handler({ idempotency_key: 'crash-1' }, contextWith(store));
    expect(op.state).toBe('interrupted');
    expect(op.written).toBe(50);
    expect(new Set(op.records.map((r) => r.id))).toEqual(new Set(inAirtable.map((r) => r.id)));
    expect(op.not_written).toBe('50–94');
    expect(op.uncertain).toBeUndefined();

    const finished = await createRecordsTool.handler(input, contextWith(store));
    expect(finished.resumed).toBe(true);
    expect(finished.created).toBe(95);
    const after = await names('Crash ');
    expect(after).toHaveLength(95);
    expect(new Set(after.map((r) => r.fields.Name)).size).toBe(95);
    expect(new Set(finished.records.map((r) => r.id))).toEqual(new Set(after.map((r) => r.id)));
    const done = await getOperationTool.handler({ idempotency_key: 'crash-1' }, contextWith(store));
    expect(done.state).toBe('succeeded');
  });

  it('a create killed before its chunk was sent resumes from that chunk', async () => {
    const store = createMemoryOperationStore({ leaseMs: 20 });
    const input = {
      base_id: CRM,
      table: 'Companies',
      records: rows('Early', 30),
      idempotency_key: 'early-1',
    };
    // Dies on the third chunk's send: nothing of it reached Airtable.
    const dying = dyingAfter(store, 1);
    await expect(
      createRecordsTool.handler(input, contextWith(dying.store, dying.airtable)),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 40));
    const op = await getOperationTool.handler({ idempotency_key: 'early-1' }, contextWith(store));
    expect(op.written).toBe(20);
    const finished = await createRecordsTool.handler(input, contextWith(store));
    expect(finished.created).toBe(30);
    expect(await names('Early ')).toHaveLength(30);
  });

  it('an interrupted delete is read back (gone records count as deleted) and finished by its key', async () => {
    const created = await createRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records: rows('Gone', 35) },
      kit.context(),
    );
    const ids = created.records.map((r) => r.id ?? '');
    const store = createMemoryOperationStore({ leaseMs: 20 });
    const input = { base_id: CRM, table: 'Companies', record_ids: ids, idempotency_key: 'gone-1' };
    const dying = dyingAfter(store, 1);
    await expect(
      deleteRecordsTool.handler(input, contextWith(dying.store, dying.airtable)),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 40));
    const op = await getOperationTool.handler({ idempotency_key: 'gone-1' }, contextWith(store));
    expect(op.written).toBe(20);
    expect(await names('Gone ')).toHaveLength(15);
    const finished = await deleteRecordsTool.handler(input, contextWith(store));
    expect(finished.ok).toBe(true);
    expect(finished.deleted).toBe(35);
    expect(await names('Gone ')).toHaveLength(0);
  });

  it('an interrupted update is read back and finished by its key', async () => {
    const created = await createRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records: rows('Upd', 25) },
      kit.context(),
    );
    const store = createMemoryOperationStore({ leaseMs: 20 });
    const records = created.records.map((r) => ({ id: r.id ?? '', fields: { Employees: 1000 } }));
    const input = { base_id: CRM, table: 'Companies', records, idempotency_key: 'upd-1' };
    const dying = dyingAfter(store, 0);
    await expect(
      updateRecordsTool.handler(input, contextWith(dying.store, dying.airtable)),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 40));
    const op = await getOperationTool.handler({ idempotency_key: 'upd-1' }, contextWith(store));
    expect(op.written).toBe(10);
    const finished = await updateRecordsTool.handler(input, contextWith(store));
    expect(finished.updated).toBe(25);
    expect((await names('Upd ')).every((r) => r.fields.Employees === 1000)).toBe(true);
  });

  it('get_operation says which operation it cannot find, by code', async () => {
    const error = await toolError(
      getOperationTool.handler({ operation_id: 'op_missing' }, contextWith(createMemoryOperationStore())),
    );
    expect(error.code).toBe('TOOL_OPERATION_NOT_FOUND');
  });
});
