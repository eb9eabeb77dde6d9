import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayEngine } from '../engine.ts';
import { createAirtableGateway } from './airtable-gateway.ts';
import { BASE, type ClientRig, ITEMS, SEEDED, SEEDED_COMMENTS, startClientRig, TOKEN } from './test-kit.ts';

let rig: ClientRig;

beforeAll(async () => {
  rig = await startClientRig();
});
afterAll(async () => {
  expect((await rig.stats()).rateLimited).toBe(0);
  await rig.close();
});

describe('metadata', () => {
  it('answers whoami, lists bases and reads a base schema', async () => {
    expect(await rig.gateway.whoami()).toMatchObject({ id: expect.stringMatching(/^usr/) });
    expect(await rig.gateway.listBases()).toEqual([
      { id: BASE, name: 'Client tests', permissionLevel: 'create' },
    ]);
    const schema = await rig.gateway.getBaseSchema(BASE);
    expect(schema.tables.map((t) => t.name)).toEqual([ITEMS, SEEDED]);
    const items = schema.tables[0];
    expect(items?.fields.map((f) => [f.name, f.type])).toEqual([
      ['Name', 'singleLineText'],
      ['Index', 'number'],
      ['Status', 'singleSelect'],
      ['Notes', 'multilineText'],
    ]);
    expect(items?.primaryFieldId).toBe(items?.fields[0]?.id);
  });

  it('creates and updates tables and fields', async () => {
    const table = await rig.gateway.createTable(BASE, {
      name: 'Projects',
      description: 'Made by the client',
      fields: [
        { name: 'Title', type: 'singleLineText' },
        { name: 'Budget', type: 'currency', options: { precision: 2, symbol: '€' } },
      ],
    });
    expect(table).toMatchObject({ id: expect.stringMatching(/^tbl/), name: 'Projects' });
    expect(table.fields.map((f) => f.name)).toEqual(['Title', 'Budget']);

    const renamed = await rig.gateway.updateTable(BASE, table.id, { name: 'Programs' });
    expect(renamed).toMatchObject({ id: table.id, name: 'Programs' });

    const field = await rig.gateway.createField(BASE, table.id, {
      name: 'Done',
      type: 'checkbox',
      options: { icon: 'check', color: 'greenBright' },
    });
    expect(field).toMatchObject({ id: expect.stringMatching(/^fld/), name: 'Done', type: 'checkbox' });
    const described = await rig.gateway.updateField(BASE, table.id, field.id, { description: 'Finished?' });
    expect(described).toMatchObject({ id: field.id, description: 'Finished?' });

    // The schema cache was invalidated by the writes.
    const schema = await rig.gateway.getBaseSchema(BASE);
    const programs = schema.tables.find((t) => t.id === table.id);
    expect(programs?.name).toBe('Programs');
    expect(programs?.fields.map((f) => f.name)).toEqual(['Title', 'Budget', 'Done']);

    // Records calls work on the new table too.
    const created = await rig.gateway.createMany(BASE, 'Programs', [{ fields: { Title: 'A', Done: true } }]);
    expect(created.ok).toBe(true);
  });

  it('maps schema errors to AIRTABLE_ERROR with the status and type', async () => {
    await expect(
      rig.gateway.createTable(BASE, { name: 'Broken', fields: [{ name: 'F', type: 'formula' }] }),
    ).rejects.toMatchObject({ code: 'AIRTABLE_ERROR', upstreamStatus: 422 });
    await expect(rig.gateway.getBaseSchema('appAAAAAAAAAAAAAA')).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 404,
      airtableType: 'NOT_FOUND',
    });
  });

  it('follows offsets through every page of bases', async () => {
    const pages: Record<string, unknown>[] = [
      {
        bases: [{ id: 'appAAAAAAAAAAAAA1', name: 'One', permissionLevel: 'create' }],
        offset: 'appAAAAAAAAAAAAA2',
      },
      { bases: [{ id: 'appAAAAAAAAAAAAA2', name: 'Two', permissionLevel: 'read' }] },
    ];
    const seen: string[] = [];
    const engine = await createGatewayEngine({
      upstreamUrl: 'http://airtable.invalid',
      fetch: async (input) => {
        const url = new URL(String(input));
        seen.push(`${url.pathname}${url.search}`);
        const body =
          url.pathname === '/v0/meta/whoami' ? { id: 'usrAAAAAAAAAAAAAA' } : pages[seen.length - 2];
        return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
      },
    });
    const client = createAirtableGateway({ engine, token: TOKEN });
    try {
      expect((await client.listBases()).map((b) => b.name)).toEqual(['One', 'Two']);
      expect(seen).toEqual(['/v0/meta/whoami', '/v0/meta/bases', '/v0/meta/bases?offset=appAAAAAAAAAAAAA2']);
    } finally {
      await client.close();
      await engine.close();
    }
  });
});

describe('a fresh schema read', () => {
  it('sees a table created behind the gateway, refills the cache, and is shared by concurrent callers', async () => {
    const names = async (options?: { fresh: true }) =>
      (await rig.gateway.getBaseSchema(BASE, options)).tables.map((t) => t.name);
    expect(await names()).not.toContain('Made Elsewhere');
    const res = await fetch(`${rig.emulator.url}/v0/meta/bases/${BASE}/tables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made Elsewhere', fields: [{ name: 'Name', type: 'singleLineText' }] }),
    });
    expect(res.status).toBe(200);
    // The cached schema does not know it yet; a fresh read does.
    expect(await names()).not.toContain('Made Elsewhere');
    await rig.resetStats();
    const fresh = await Promise.all(Array.from({ length: 5 }, () => names({ fresh: true })));
    for (const tables of fresh) expect(tables).toContain('Made Elsewhere');
    expect((await rig.stats()).byBase[BASE]?.requests).toBe(1);
    // The fresh answer is now the cached one, and another fresh read within a second reuses it.
    expect(await names()).toContain('Made Elsewhere');
    expect(await names({ fresh: true })).toContain('Made Elsewhere');
    expect((await rig.stats()).byBase[BASE]?.requests).toBe(1);
  });
});

describe('comments', () => {
  it('lists every page of comments, and creates, updates and deletes one', async () => {
    const [record] = await rig.gateway.listRecords(BASE, SEEDED, { maxRecords: 1 });
    const recordId = record?.id as string;
    const all = await rig.gateway.listComments(BASE, SEEDED, recordId);
    expect(all).toHaveLength(SEEDED_COMMENTS);
    expect(new Set(all.map((c) => c.id)).size).toBe(SEEDED_COMMENTS);

    const comment = await rig.gateway.createComment(BASE, SEEDED, recordId, 'Looks good');
    expect(comment).toMatchObject({ id: expect.stringMatching(/^com/), text: 'Looks good' });
    const reply = await rig.gateway.createComment(BASE, SEEDED, recordId, 'Agreed', {
      parentCommentId: comment.id,
    });
    expect(reply.parentCommentId).toBe(comment.id);
    const edited = await rig.gateway.updateComment(BASE, SEEDED, recordId, comment.id, 'Looks great');
    expect(edited).toMatchObject({
      id: comment.id,
      text: 'Looks great',
      lastUpdatedTime: expect.any(String),
    });
    expect(await rig.gateway.deleteComment(BASE, SEEDED, recordId, reply.id)).toEqual({
      id: reply.id,
      deleted: true,
    });
    const after = await rig.gateway.listComments(BASE, SEEDED, recordId);
    expect(after).toHaveLength(SEEDED_COMMENTS + 1);
    expect(after[0]).toMatchObject({ id: comment.id, text: 'Looks great' });
  });

  it('maps a comment on a missing record to AIRTABLE_ERROR 404', async () => {
    await expect(rig.gateway.createComment(BASE, SEEDED, 'recAAAAAAAAAAAAAA', 'Hello')).rejects.toMatchObject(
      {
        code: 'AIRTABLE_ERROR',
        upstreamStatus: 404,
      },
    );
  });
});
