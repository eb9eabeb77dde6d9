import { beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, SAMPLE_CRM, SAMPLE_ROADMAP, usePlatformRig } from './testing/platform-rig.ts';

/**
 * A workspace with several Airtable connections (two Airtable accounts, or one token an admin
 * limited to some bases): every tool call goes to the connection that reaches its base.
 */

const rig = usePlatformRig();
let owner: RigUser;

/** A new emulator token that reaches only `bases` (as a personal access token scoped by Airtable would). */
async function tokenFor(bases: string[]): Promise<string> {
  const response = await fetch(`${rig.emulator().url}/__emulator/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ bases }),
  });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { token: string }).token;
}

async function workspaceWith(connections: { name: string; token: string; bases?: string[] }[]) {
  const id = await rig.workspace(owner);
  for (const body of connections) {
    const created = await rig.call('POST', `/v1/workspaces/${id}/connections`, { auth: owner.auth, body });
    expect(created.statusCode).toBe(201);
  }
  return id;
}

const tool = (workspaceId: string, name: string, body: unknown) =>
  rig.call('POST', `/v1/workspaces/${workspaceId}/tools/${name}`, { auth: owner.auth, body });

beforeAll(async () => {
  owner = await rig.user('owner');
});

describe('a workspace with two Airtable accounts', () => {
  it('lists the bases of both and answers on each base with the token that reaches it', async () => {
    const workspaceId = await workspaceWith([
      { name: 'Sales account', token: await tokenFor([SAMPLE_CRM]) },
      { name: 'Product account', token: await tokenFor([SAMPLE_ROADMAP]) },
    ]);
    const bases = await tool(workspaceId, 'list_bases', {});
    expect(bases.statusCode).toBe(200);
    expect(JSON.stringify(bases.json())).toContain(SAMPLE_CRM);
    expect(JSON.stringify(bases.json())).toContain(SAMPLE_ROADMAP);

    for (const [base, table] of [
      [SAMPLE_CRM, 'Deals'],
      [SAMPLE_ROADMAP, 'Features'],
    ] as const) {
      const counted = await tool(workspaceId, 'count_records', { base_id: base, table });
      expect(counted.statusCode, `${base}: ${counted.body}`).toBe(200);
    }
  });

  it('writes through the connection of the base, too', async () => {
    const workspaceId = await workspaceWith([
      { name: 'Sales account', token: await tokenFor([SAMPLE_CRM]) },
      { name: 'Product account', token: await tokenFor([SAMPLE_ROADMAP]) },
    ]);
    const created = await tool(workspaceId, 'create_records', {
      base_id: SAMPLE_ROADMAP,
      table: 'Features',
      records: [{ fields: { Name: 'Routed by base' } }],
    });
    expect(created.statusCode, created.body).toBe(200);
  });

  it('answers a base neither account reaches with the upstream refusal, not a crash', async () => {
    const workspaceId = await workspaceWith([
      { name: 'Sales account', token: await tokenFor([SAMPLE_CRM]) },
      { name: 'Product account', token: await tokenFor([SAMPLE_ROADMAP]) },
    ]);
    const response = await tool(workspaceId, 'count_records', {
      base_id: 'appNoSuchBase0000',
      table: 'Deals',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().code).toMatch(/^TOOL_/);
  });
});

describe('a connection an admin limited to some bases', () => {
  it('takes the calls on its bases, while the unlimited default takes the rest', async () => {
    // The default's token cannot reach the roadmap: only the limited connection can serve it.
    const workspaceId = await workspaceWith([
      { name: 'Default', token: await tokenFor([SAMPLE_CRM]) },
      { name: 'Roadmap only', token: rig.airtableToken(), bases: [SAMPLE_ROADMAP] },
    ]);
    expect(
      (await tool(workspaceId, 'count_records', { base_id: SAMPLE_ROADMAP, table: 'Features' })).statusCode,
    ).toBe(200);
    expect(
      (await tool(workspaceId, 'count_records', { base_id: SAMPLE_CRM, table: 'Deals' })).statusCode,
    ).toBe(200);
  });

  it('keeps every base outside the limits refused when every connection is limited', async () => {
    const workspaceId = await workspaceWith([
      { name: 'CRM only', token: rig.airtableToken(), bases: [SAMPLE_CRM] },
      { name: 'Roadmap only', token: rig.airtableToken(), bases: [SAMPLE_ROADMAP] },
    ]);
    expect(
      (await tool(workspaceId, 'count_records', { base_id: SAMPLE_CRM, table: 'Deals' })).statusCode,
    ).toBe(200);
    expect(
      (await tool(workspaceId, 'count_records', { base_id: SAMPLE_ROADMAP, table: 'Features' })).statusCode,
    ).toBe(200);
    const outside = await tool(workspaceId, 'count_records', {
      base_id: 'appOutsideLimits1',
      table: 'Deals',
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('TOOL_NOT_ALLOWED');
    const listed = JSON.stringify((await tool(workspaceId, 'list_bases', {})).json());
    expect(listed).toContain(SAMPLE_CRM);
    expect(listed).toContain(SAMPLE_ROADMAP);
  });
});
