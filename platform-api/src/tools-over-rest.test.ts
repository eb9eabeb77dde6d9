import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, SAMPLE_CRM, SAMPLE_ROADMAP, usePlatformRig } from './testing/platform-rig.ts';

/**
 * The tool catalogue through `POST /v1/workspaces/{id}/tools/{name}`: results match the
 * emulator's data, failures keep the tool's own code, and every call is audited without secrets.
 */

const rig = usePlatformRig();

type Auth = { authorization: string };

let owner: RigUser;
let editor: RigUser;
/** Connected to the emulator, every base. */
let connected: string;
/** No connection at all. */
let bare: string;
/** Connected, but limited to the roadmap base. */
let limited: string;

const tool = (ws: string, name: string, auth: Auth, body: unknown = {}) =>
  rig.call('POST', `/v1/workspaces/${ws}/tools/${name}`, { auth, body });

/** The emulator's own answer, straight from its Web API (no gateway, no tools). */
async function airtable<T>(path: string): Promise<T> {
  const response = await fetch(`${rig.emulator().url}/v0/${path}`, {
    headers: { authorization: `Bearer ${rig.airtableToken()}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface AuditRow {
  workspace_id: string;
  actor_id: string;
  action: string;
  target_id: string | null;
  outcome: string;
  error_code: string | null;
  duration_ms: number | null;
  request_id: string | null;
  details: { tool?: string; arguments?: Record<string, unknown> } | null;
}

async function toolCalls(ws: string): Promise<AuditRow[]> {
  return rig
    .db()
    .query<AuditRow>(
      "SELECT * FROM audit_events WHERE workspace_id = $1 AND action = 'tool.call' ORDER BY seq",
      [ws],
    );
}

beforeAll(async () => {
  owner = await rig.user('owner');
  editor = await rig.user('editor');
  connected = await rig.workspace(owner, { connect: true });
  await rig.addMember(owner, connected, editor, 'editor');
  bare = await rig.workspace(owner);
  limited = await rig.workspace(owner, { connect: true, bases: [SAMPLE_ROADMAP] });
}, 60_000);

describe('reading through the tools', () => {
  it('list_bases returns {output, text} with the emulator’s bases', async () => {
    const response = await tool(connected, 'list_bases', owner.auth);
    expect(response.statusCode).toBe(200);
    const { output, text } = response.json();
    const truth = await airtable<{ bases: { id: string; name: string; permissionLevel: string }[] }>(
      'meta/bases',
    );
    expect(output.bases).toEqual(
      truth.bases.map((b) => ({ id: b.id, name: b.name, permission: b.permissionLevel })),
    );
    expect(output.bases.map((b: { id: string }) => b.id)).toEqual(
      expect.arrayContaining([SAMPLE_CRM, SAMPLE_ROADMAP]),
    );
    expect(typeof text).toBe('string');
    for (const base of truth.bases) expect(text).toContain(base.id);
  });

  it('list_records returns the emulator’s records of a table', async () => {
    const response = await tool(connected, 'list_records', editor.auth, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      fields: ['Name', 'HQ Country'],
      page_size: 5,
    });
    expect(response.statusCode).toBe(200);
    const { output, text } = response.json();
    const truth = await airtable<{ records: { id: string; fields: Record<string, unknown> }[] }>(
      `${SAMPLE_CRM}/Companies?pageSize=5&fields%5B%5D=Name&fields%5B%5D=HQ%20Country`,
    );
    expect(truth.records).toHaveLength(5);
    expect(output).toMatchObject({ returned: 5, has_more: true });
    expect(output.records).toEqual(truth.records.map((r) => ({ id: r.id, fields: r.fields })));
    for (const record of truth.records) expect(text).toContain(record.id);
  });
});

describe('tool failures keep their codes', () => {
  it('a bad argument is 400 TOOL_INVALID_INPUT naming the field', async () => {
    const response = await tool(connected, 'list_records', owner.auth, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      page_size: 'ten',
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('TOOL_INVALID_INPUT');
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(['page_size']);
  });

  it('a missing argument is 400 TOOL_INVALID_INPUT naming the field', async () => {
    const response = await tool(connected, 'list_records', owner.auth, { base_id: SAMPLE_CRM });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('TOOL_INVALID_INPUT');
    expect(response.json().issues.map((i: { path: string }) => i.path)).toEqual(['table']);
  });

  it('an input wrapped in {"arguments": …} is 400 TOOL_INVALID_INPUT, not run as an empty input', async () => {
    // The body is the tool input itself; MCP's tools/call wrapper does not belong in it.
    const response = await tool(connected, 'list_records', owner.auth, {
      arguments: { base_id: SAMPLE_CRM, table: 'Companies' },
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('TOOL_INVALID_INPUT');
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(['arguments', 'base_id', 'table']);
    expect(problem.issues[0].message).toContain('not wrapped in "arguments"');
  });

  it('an argument the tool does not take is 400 TOOL_INVALID_INPUT naming it', async () => {
    const response = await tool(connected, 'list_bases', owner.auth, { unexpected: 1 });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('TOOL_INVALID_INPUT');
    expect(response.json().issues.map((i: { path: string }) => i.path)).toEqual(['unexpected']);
  });

  it('an unknown field is 422 TOOL_UNKNOWN_FIELD with the field and the real ones', async () => {
    const response = await tool(connected, 'list_records', owner.auth, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      fields: ['Nmae'],
    });
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.code).toBe('TOOL_UNKNOWN_FIELD');
    expect(problem.field).toBe('Nmae');
    expect(problem.fields).toEqual(expect.arrayContaining(['Name', 'HQ Country']));
  });
});

describe('a workspace without a connection', () => {
  it('still answers whoami', async () => {
    const response = await tool(bare, 'whoami', owner.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json().output).toMatchObject({
      user: { id: owner.id, email: owner.email },
      workspace: { id: bare },
      role: 'owner',
      authenticated_with: 'access_token',
    });
  });

  it('gives 503 TOOL_UNAVAILABLE for Airtable tools', async () => {
    const response = await tool(bare, 'list_bases', owner.auth);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 503,
      code: 'TOOL_UNAVAILABLE',
    });
  });
});

describe('a connection limited to some bases', () => {
  it('hides the other bases from list_bases', async () => {
    const response = await tool(limited, 'list_bases', owner.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json().output.bases.map((b: { id: string }) => b.id)).toEqual([SAMPLE_ROADMAP]);
  });

  it('refuses list_records on a base outside the list', async () => {
    const response = await tool(limited, 'list_records', owner.auth, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
    });
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 403,
      code: 'TOOL_NOT_ALLOWED',
    });
    expect(response.body).not.toContain('Acme');
  });
});

describe('writing through the tools', () => {
  it('lets an editor create a record that the emulator then holds', async () => {
    const name = `Rest Co ${randomBytes(4).toString('hex')}`;
    const response = await tool(connected, 'create_records', editor.auth, {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: name, 'HQ Country': 'Iceland' } }],
    });
    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 200 });
    const { output } = response.json();
    expect(output).toMatchObject({ ok: true, dry_run: false, created: 1, total: 1 });
    const id: string = output.records[0].id;
    expect(id).toMatch(/^rec/);
    const stored = await airtable<{ id: string; fields: Record<string, unknown> }>(
      `${SAMPLE_CRM}/Companies/${id}`,
    );
    expect(stored.fields).toMatchObject({ Name: name, 'HQ Country': 'Iceland' });
  });
});

describe('the audit trail of tool calls', () => {
  it('has one tool.call row per call, with outcome, duration and summarised arguments', async () => {
    const ws = await rig.workspace(owner, { connect: true });
    const calls: { name: string; body: Record<string, unknown>; outcome: string; code: string | null }[] = [
      { name: 'list_bases', body: {}, outcome: 'success', code: null },
      {
        name: 'list_records',
        body: { base_id: SAMPLE_CRM, table: 'Companies', page_size: 2 },
        outcome: 'success',
        code: null,
      },
      {
        name: 'list_records',
        body: { base_id: SAMPLE_CRM, table: 'Companies', fields: ['Nmae'] },
        outcome: 'failure',
        code: 'TOOL_UNKNOWN_FIELD',
      },
      {
        // Refused before the handler runs; the secret-looking key must not reach the trail.
        name: 'list_records',
        body: { base_id: SAMPLE_CRM, table: 'Companies', page_size: 'ten', api_key: rig.airtableToken() },
        outcome: 'failure',
        code: 'TOOL_INVALID_INPUT',
      },
      { name: 'whoami', body: {}, outcome: 'success', code: null },
    ];
    for (const call of calls) await tool(ws, call.name, owner.auth, call.body);

    const rows = await toolCalls(ws);
    expect(rows.map((r) => ({ tool: r.target_id, outcome: r.outcome, code: r.error_code }))).toEqual(
      calls.map((c) => ({ tool: c.name, outcome: c.outcome, code: c.code })),
    );
    for (const [index, row] of rows.entries()) {
      expect(row.actor_id).toBe(owner.id);
      expect(row.details?.tool).toBe(calls[index]?.name);
      expect(row.duration_ms).toEqual(expect.any(Number));
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
      expect(row.details?.arguments).toEqual(expect.any(Object));
    }
    expect(rows[1]?.details?.arguments).toMatchObject({
      base_id: SAMPLE_CRM,
      table: 'Companies',
      page_size: 2,
    });
    expect(rows[3]?.details?.arguments).toMatchObject({
      base_id: SAMPLE_CRM,
      page_size: 'ten',
      api_key: '[redacted]',
    });
  });

  it('cuts long arguments down', async () => {
    const ws = await rig.workspace(owner, { connect: true });
    const formula = `{Name} = '${'x'.repeat(500)}'`;
    await tool(ws, 'list_records', owner.auth, { base_id: SAMPLE_CRM, table: 'Companies', formula });
    const [row] = await toolCalls(ws);
    const kept = row?.details?.arguments?.formula;
    expect(typeof kept).toBe('string');
    expect((kept as string).length).toBeLessThan(formula.length);
  });

  it('never holds the Airtable token, anywhere', async () => {
    const token = rig.airtableToken();
    const rows = await rig.db().query('SELECT * FROM audit_events');
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
    // Not even its secret half (the part after the dot) on its own.
    expect(JSON.stringify(rows)).not.toContain(token.split('.')[1]);
  });
});
