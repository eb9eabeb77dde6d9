import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from '../testing/platform-rig.ts';
import { type Receiver, startReceiver } from './testing/receiver.ts';

/**
 * Changes made through the tools happen in Airtable: their `record.*` events are written with
 * the operation record of each landed chunk, once; a failed call is `tool.failed`; a write whose
 * runner died is `operation.interrupted`. All of it reaches a subscribed endpoint, signed.
 */

const LEASE_MS = 200;
const rig = usePlatformRig({ operationLeaseMs: LEASE_MS, webhooks: { allow: ['127.0.0.1'] } });

type Auth = { authorization: string };
let owner: RigUser;
let workspace: string;
let editorKey: Auth & { id: string };
let receiver: Receiver;
let secret: string;

interface Envelope {
  id: string;
  type: string;
  actor: { type: string; id: string };
  cause?: { tool?: string; operation_id?: string; request_id?: string };
  data: Record<string, unknown>;
}

async function eventsOf(type: string, operationId?: string): Promise<Envelope[]> {
  const rows = await rig
    .db()
    .query<{ payload: Envelope }>(
      'SELECT payload FROM webhook_events WHERE workspace_id = $1 AND type = $2 ORDER BY seq',
      [workspace, type],
    );
  return rows
    .map((row) => row.payload)
    .filter((event) => operationId === undefined || event.cause?.operation_id === operationId);
}

const tool = (name: string, body: unknown) =>
  rig.call('POST', `/v1/workspaces/${workspace}/tools/${name}`, { auth: editorKey, body });

async function until<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  const key = await rig.apiKey(owner, workspace, 'editor');
  editorKey = { ...key.auth, id: key.id };
  receiver = await startReceiver();
  const principal = await rig.platform().authenticate(owner.accessToken);
  const access = await rig.platform().workspaces.access(principal, workspace);
  const created = await rig
    .platform()
    .webhooks.endpoints.create(access, { url: receiver.url, eventTypes: ['record.*', 'tool.failed'] });
  secret = created.secret;
});

afterAll(async () => {
  await receiver?.close();
});

describe('events of tool writes', () => {
  it('a create writes one record.created per record, with its fields, the operation and the caller', async () => {
    const res = await tool('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: Array.from({ length: 12 }, (_, i) => ({ fields: { Name: `Evented ${i}`, Employees: i } })),
    });
    expect(res.statusCode).toBe(200);
    const output = res.json().output as { operation_id: string; records: { id: string }[] };
    const events = await eventsOf('record.created', output.operation_id);
    expect(events.map((event) => (event.data.record as { id: string }).id)).toEqual(
      output.records.map((record) => record.id),
    );
    expect(events[3]).toMatchObject({
      actor: { type: 'api_key', id: editorKey.id },
      cause: { tool: 'create_records', operation_id: output.operation_id },
      data: { base_id: SAMPLE_CRM, record: { fields: { Name: 'Evented 3', Employees: 3 } } },
    });
    expect(events[0]?.data.table_id).toMatch(/^tbl/);
  });

  it('an update reports the fields it wrote, with their value after; an upsert says created or updated per record', async () => {
    const made = await tool('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'Upsert me', Employees: 1 } }],
    });
    const id = (made.json().output as { records: { id: string }[] }).records[0]?.id;
    const updated = await tool('update_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ id, fields: { Employees: 42 } }],
    });
    const updateOp = (updated.json().output as { operation_id: string }).operation_id;
    const [change] = await eventsOf('record.updated', updateOp);
    expect(change?.data).toMatchObject({ record_id: id, changed_fields: { Employees: { after: 42 } } });
    expect(Object.keys(change?.data.changed_fields as object)).toEqual(['Employees']);

    const upserted = await tool('update_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      merge_on: ['Name'],
      records: [
        { fields: { Name: 'Upsert me', Employees: 7 } },
        { fields: { Name: 'Brand new', Employees: 8 } },
      ],
    });
    const upsertOp = (upserted.json().output as { operation_id: string }).operation_id;
    expect((await eventsOf('record.updated', upsertOp)).map((event) => event.data.record_id)).toEqual([id]);
    const [fresh] = await eventsOf('record.created', upsertOp);
    expect(fresh?.data.record).toMatchObject({ fields: { Name: 'Brand new', Employees: 8 } });
  });

  it('a delete writes record.deleted per record', async () => {
    const made = await tool('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'Doomed A' } }, { fields: { Name: 'Doomed B' } }],
    });
    const ids = (made.json().output as { records: { id: string }[] }).records.map((record) => record.id);
    const deleted = await tool('delete_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      record_ids: ids,
    });
    expect(deleted.statusCode).toBe(200);
    const op = (deleted.json().output as { operation_id: string }).operation_id;
    expect((await eventsOf('record.deleted', op)).map((event) => event.data.record_id)).toEqual(ids);
  });

  it('a failed call writes tool.failed with its code, and a dry run or a read writes nothing', async () => {
    const before = (await eventsOf('tool.failed')).length;
    const bad = await tool('list_records', { base_id: SAMPLE_CRM, table: 'No such table' });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.json().code).toMatch(/^TOOL_/);
    const failed = (await eventsOf('tool.failed')).slice(before);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      actor: { type: 'api_key' },
      data: { tool: 'list_records', code: expect.stringMatching(/^TOOL_/) },
    });
    const created = (await eventsOf('record.created')).length;
    await tool('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'Only a preview' } }],
      dry_run: true,
    });
    expect(await eventsOf('record.created')).toHaveLength(created);
  });

  it('an operation whose runner died is operation.interrupted, with what landed; a chunk recorded twice emits once', async () => {
    const principal = await rig.platform().authenticate(editorKey.authorization.slice('Bearer '.length));
    const access = await rig.platform().workspaces.access(principal, workspace);
    const store = rig.platform().operations.storeFor(access);
    const { operation } = await store.start({
      tool: 'create_records',
      kind: 'create',
      baseId: SAMPLE_CRM,
      tableId: 'tblCompanies',
      requestHash: 'h',
      total: 20,
      argumentsSummary: {},
    });
    const chunk = {
      chunk: 0,
      state: 'landed' as const,
      records: Array.from({ length: 10 }, (_, index) => ({
        index,
        id: `rec${String(index).padStart(14, '0')}`,
      })),
      at: new Date().toISOString(),
    };
    await store.recordChunk(operation.id, chunk);
    await store.recordChunk(operation.id, { ...chunk, reconciled: true });
    expect(await eventsOf('record.created', operation.id)).toHaveLength(10);
    const [interrupted] = await until(
      () => eventsOf('operation.interrupted', operation.id),
      (events) => events.length > 0,
    );
    expect(interrupted).toMatchObject({
      actor: { type: 'system' },
      data: {
        operation_id: operation.id,
        tool: 'create_records',
        total: 20,
        landed: 10,
        table_id: 'tblCompanies',
      },
    });
  });

  it('schema tools write table.created, table.updated, field.created and field.updated', async () => {
    const made = await tool('create_table', {
      base_id: SAMPLE_CRM,
      name: 'Evented table',
      fields: [{ name: 'Title', type: 'singleLineText' }],
    });
    expect(made.statusCode).toBe(200);
    const tableId = (made.json().output as { id: string }).id;
    await tool('update_table', { base_id: SAMPLE_CRM, table: tableId, description: 'now described' });
    const field = await tool('create_field', {
      base_id: SAMPLE_CRM,
      table: tableId,
      name: 'Score',
      type: 'number',
      options: { precision: 0 },
    });
    expect(field.statusCode).toBe(200);
    const fieldId = (field.json().output as { id: string }).id;
    await tool('update_field', { base_id: SAMPLE_CRM, table: tableId, field: fieldId, name: 'Points' });
    expect((await eventsOf('table.created')).at(-1)).toMatchObject({
      cause: { tool: 'create_table' },
      data: { base_id: SAMPLE_CRM, table: { id: tableId, name: 'Evented table' } },
    });
    expect((await eventsOf('table.updated')).at(-1)?.data).toMatchObject({
      table: { id: tableId, description: 'now described' },
    });
    expect((await eventsOf('field.created')).at(-1)?.data).toEqual({
      base_id: SAMPLE_CRM,
      table_id: tableId,
      field: { id: fieldId, name: 'Score', type: 'number' },
    });
    expect((await eventsOf('field.updated')).at(-1)?.data).toMatchObject({
      field: { id: fieldId, name: 'Points' },
    });
  });

  it('delivers them to the subscribed endpoint, signed', async () => {
    const expected = (await eventsOf('record.created')).length + (await eventsOf('record.updated')).length;
    await until(
      () => receiver.received.length,
      (n) => n >= expected,
    );
    const verifier = new Webhook(secret);
    for (const delivery of receiver.received.slice(0, 5)) {
      const payload = verifier.verify(delivery.body, {
        'webhook-id': delivery.id,
        'webhook-timestamp': delivery.timestamp,
        'webhook-signature': delivery.signature,
      }) as Envelope;
      expect(payload.type).toMatch(/^(record\.|tool\.failed)/);
    }
  });

  it('counts deliveries, their lag and the backlog in /metrics, naming no workspace', async () => {
    const metrics = await until(
      async () => (await rig.call('GET', '/metrics')).body,
      (text) => /airsuite_webhook_attempts_total\{outcome="success"\} [1-9]/.test(text),
    );
    expect(metrics).toMatch(/airsuite_webhook_delivery_lag_seconds_count [1-9]/);
    expect(metrics).toMatch(/airsuite_webhook_backlog\{due="now"\} \d+/);
    expect(metrics).not.toContain(workspace);
  });
});
