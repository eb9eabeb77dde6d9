import { beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from './testing/platform-rig.ts';

/**
 * Multi-record writes as operations on the platform: recorded in the database, read through
 * REST (`/operations`) and the tools, finished by idempotency key, swept to `interrupted`
 * (audited) when their runner died, and never visible to another workspace.
 */

const LEASE_MS = 200;
const rig = usePlatformRig({ operationLeaseMs: LEASE_MS });

type Auth = { authorization: string };
let owner: RigUser;
let workspace: string;
let editorKey: Auth;
let viewerKey: Auth;
let other: string;

const rows = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ fields: { Name: `${tag} ${i}`, Employees: i } }));

const create = (auth: Auth, body: unknown) =>
  rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, { auth, body });

async function auditActions(ws: string, targetId: string): Promise<string[]> {
  const rows = await rig
    .db()
    .query<{ action: string }>(
      'SELECT action FROM audit_events WHERE workspace_id = $1 AND target_id = $2 ORDER BY seq',
      [ws, targetId],
    );
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  editorKey = (await rig.apiKey(owner, workspace, 'editor')).auth;
  viewerKey = (await rig.apiKey(owner, workspace, 'viewer')).auth;
  other = await rig.workspace(await rig.user('stranger'));
});

describe('write operations on the platform', () => {
  it('records a create as an operation, audited when it starts, readable over REST', async () => {
    const res = await create(editorKey, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: rows('Rest', 15),
    });
    expect(res.statusCode).toBe(200);
    const output = res.json().output as { operation_id: string; records: { id: string }[] };
    expect(output.operation_id).toMatch(/^op_[0-9a-f]{24}$/);

    const got = await rig.call('GET', `/v1/workspaces/${workspace}/operations/${output.operation_id}`, {
      auth: editorKey,
    });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ state: 'succeeded', total: 15, written: 15, tool: 'create_records' });
    expect(got.json().records.map((r: { id: string }) => r.id)).toEqual(output.records.map((r) => r.id));

    const listed = await rig.call('GET', `/v1/workspaces/${workspace}/operations?state=succeeded`, {
      auth: editorKey,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().operations.map((o: { id: string }) => o.id)).toContain(output.operation_id);
    expect(await auditActions(workspace, output.operation_id)).toEqual(['operation.started']);
  });

  it('replays a finished call with the same key from the database, writing nothing', async () => {
    const body = {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: rows('Key', 3),
      idempotency_key: 'rest-key-1',
    };
    const first = (await create(editorKey, body)).json().output;
    const again = await create(editorKey, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().output).toMatchObject({ replayed: true, operation_id: first.operation_id });
    const used = await create(editorKey, { ...body, records: rows('Other', 1) });
    expect(used.statusCode).toBe(409);
    expect(used.json().code).toBe('TOOL_IDEMPOTENCY_KEY_REUSED');
  });

  it('sweeps an operation whose runner stopped renewing its lease to interrupted, once, with an audit row', async () => {
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
    await store.recordChunk(operation.id, {
      chunk: 0,
      state: 'landed',
      records: Array.from({ length: 10 }, (_, index) => ({
        index,
        id: `rec${String(index).padStart(14, '0')}`,
      })),
      at: new Date().toISOString(),
    });
    expect((await store.get({ id: operation.id }))?.state).toBe('running');
    // The platform's own sweeper runs every lease: two leases later it has found the dead runner.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 3));
    expect((await store.get({ id: operation.id }))?.state).toBe('interrupted');
    expect(await rig.platform().operations.sweep()).toBe(0);
    expect(await auditActions(workspace, operation.id)).toEqual([
      'operation.started',
      'operation.interrupted',
    ]);
    const [row] = await rig
      .db()
      .query<{ details: { written: number } }>(
        `SELECT details FROM audit_events WHERE target_id = $1 AND action = 'operation.interrupted'`,
        [operation.id],
      );
    expect(row?.details.written).toBe(10);
    const listed = await rig.call('GET', `/v1/workspaces/${workspace}/operations?state=interrupted`, {
      auth: editorKey,
    });
    expect(listed.json().operations.map((o: { id: string }) => o.id)).toContain(operation.id);
  });

  it('keeps operations inside their workspace and away from viewers', async () => {
    const res = await create(editorKey, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: rows('Mine', 1),
    });
    const id = res.json().output.operation_id as string;
    const strangerKey = (await rig.apiKey(owner, workspace, 'admin')).auth;
    const elsewhere = await rig.call('GET', `/v1/workspaces/${other}/operations/${id}`, {
      auth: strangerKey,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('WORKSPACE_NOT_FOUND');
    const viewer = await rig.call('GET', `/v1/workspaces/${workspace}/operations/${id}`, { auth: viewerKey });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().code).toBe('FORBIDDEN');
    const missing = await rig.call('GET', `/v1/workspaces/${workspace}/operations/op_${'0'.repeat(24)}`, {
      auth: editorKey,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('TOOL_OPERATION_NOT_FOUND');
    const badId = await rig.call('GET', `/v1/workspaces/${workspace}/operations/nope`, { auth: editorKey });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().code).toBe('VALIDATION_FAILED');
  });
});
