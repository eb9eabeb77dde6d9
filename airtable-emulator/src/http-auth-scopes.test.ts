import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  expectError,
  json,
  OWNER_USER,
  PRODUCT_ROADMAP_BASE_ID,
  SALES_CRM_BASE_ID,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Personal access tokens made through POST /__emulator/tokens: what each scope and each base
// list lets through. Airtable answers a missing scope and an unreachable base with the same
// 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, so a token cannot probe what exists.

const B = SALES_CRM_BASE_ID;
const P = PRODUCT_ROADMAP_BASE_ID;
const GRACE = 'usrGraceHopper001';

let t: TestEmulator;
let dealId: string;

interface Grant {
  token: string;
  userId: string;
  scopes: string[];
  bases: string[] | 'all';
}

async function token(body: Record<string, unknown>): Promise<Grant> {
  return json<Grant>(await t.admin('/tokens', { body }));
}

const as = (grant: Grant, init: RequestInit = {}): RequestInit => ({ ...init, ...bearer(grant.token) });
const forbidden = (res: Response) => expectError(res, 403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');

beforeAll(async () => {
  t = await startTestEmulator();
  const { records } = await json<{ records: { id: string }[] }>(await t.api(`/v0/${B}/Deals?pageSize=1`));
  dealId = records[0]?.id as string;
});
afterAll(() => t.close());

describe('POST /__emulator/tokens', () => {
  it('creates a PAT-shaped token for the base owner with every scope by default', async () => {
    const grant = await token({});
    expect(grant.token).toMatch(/^pat[A-Za-z0-9]{14}\.[0-9a-f]{64}$/);
    expect(grant.userId).toBe(OWNER_USER.id);
    expect(grant.bases).toBe('all');
    expect(grant.scopes).toContain('data.records:write');
    await json(await t.api(`/v0/${B}/Deals?pageSize=1`, as(grant)));
  });

  it.each([
    ['an unknown scope', { scopes: ['data.records:delete'] }],
    ['a malformed user id', { userId: 'grace' }],
    ['a token with spaces', { token: 'has spaces in it' }],
    ['an unknown property', { expiresIn: 60 }],
  ])('refuses %s with 422 EMULATOR_INVALID_REQUEST', async (_label, body) => {
    await expectError(await t.admin('/tokens', { body }), 422, 'EMULATOR_INVALID_REQUEST');
  });
});

describe('scopes', () => {
  it('data.records:read alone reads records but every write is 403', async () => {
    const reader = await token({ scopes: ['data.records:read'] });
    await json(await t.api(`/v0/${B}/Deals?pageSize=1`, as(reader)));
    await json(await t.api(`/v0/${B}/Deals/${dealId}`, as(reader)));
    await json(await t.api(`/v0/${B}/Deals/listRecords`, as(reader, send('POST', { pageSize: 1 }))));

    await forbidden(
      await t.api(`/v0/${B}/Deals`, as(reader, send('POST', { fields: { 'Deal Name': 'x' } }))),
    );
    await forbidden(
      await t.api(`/v0/${B}/Deals/${dealId}`, as(reader, send('PATCH', { fields: { 'Deal Name': 'x' } }))),
    );
    await forbidden(await t.api(`/v0/${B}/Deals/${dealId}`, as(reader, send('PUT', { fields: {} }))));
    await forbidden(await t.api(`/v0/${B}/Deals/${dealId}`, as(reader, { method: 'DELETE' })));
    await forbidden(await t.api(`/v0/${B}/Deals?records[]=${dealId}`, as(reader, { method: 'DELETE' })));
    await json(await t.api(`/v0/${B}/Deals/${dealId}`));
  });

  it('data.records:write without read can write but not list', async () => {
    const writer = await token({ scopes: ['data.records:write'] });
    await forbidden(await t.api(`/v0/${B}/Deals?pageSize=1`, as(writer)));
    const created = await json<{ id: string }>(
      await t.api(`/v0/${B}/Deals`, as(writer, send('POST', { fields: { 'Deal Name': 'Written blind' } }))),
    );
    await json(await t.api(`/v0/${B}/Deals/${created.id}`, as(writer, { method: 'DELETE' })));
  });

  it('the schema needs schema.bases:read, and changes need schema.bases:write', async () => {
    const reader = await token({ scopes: ['data.records:read'] });
    await forbidden(await t.api(`/v0/meta/bases/${B}/tables`, as(reader)));
    await forbidden(await t.api('/v0/meta/bases', as(reader)));

    const schemaReader = await token({ scopes: ['schema.bases:read'] });
    await json(await t.api(`/v0/meta/bases/${B}/tables`, as(schemaReader)));
    await json(await t.api('/v0/meta/bases', as(schemaReader)));
    await forbidden(await t.api(`/v0/${B}/Deals`, as(schemaReader)));
    const table = { name: 'Not Allowed', fields: [{ name: 'Name', type: 'singleLineText' }] };
    await forbidden(await t.api(`/v0/meta/bases/${B}/tables`, as(schemaReader, send('POST', table))));
    await forbidden(
      await t.api(`/v0/meta/bases/${B}/tables/Deals`, as(schemaReader, send('PATCH', { name: 'X' }))),
    );

    const schemaWriter = await token({ scopes: ['schema.bases:read', 'schema.bases:write'] });
    await json(await t.api(`/v0/meta/bases/${B}/tables`, as(schemaWriter, send('POST', table))));
  });

  it('comments need the comment scopes, not the record scopes', async () => {
    const comments = `/v0/${B}/Deals/${dealId}/comments`;
    const records = await token({ scopes: ['data.records:read', 'data.records:write'] });
    await forbidden(await t.api(comments, as(records)));
    await forbidden(await t.api(comments, as(records, send('POST', { text: 'Hello' }))));

    const commentReader = await token({ scopes: ['data.recordComments:read'] });
    await json(await t.api(comments, as(commentReader)));
    await forbidden(await t.api(comments, as(commentReader, send('POST', { text: 'Hello' }))));

    const commentWriter = await token({ scopes: ['data.recordComments:read', 'data.recordComments:write'] });
    const created = await json<{ id: string }>(
      await t.api(comments, as(commentWriter, send('POST', { text: 'Hello' }))),
    );
    await forbidden(
      await t.api(`${comments}/${created.id}`, as(commentReader, send('PATCH', { text: 'Edited' }))),
    );
    await forbidden(await t.api(`${comments}/${created.id}`, as(commentReader, { method: 'DELETE' })));
    await json(await t.api(`${comments}/${created.id}`, as(commentWriter, { method: 'DELETE' })));
  });

  it('a token with no scopes authenticates but reaches nothing', async () => {
    const empty = await token({ scopes: [] });
    await json(await t.api('/v0/meta/whoami', as(empty)));
    await forbidden(await t.api(`/v0/${B}/Deals`, as(empty)));
    await forbidden(await t.api('/v0/meta/bases', as(empty)));
  });
});

describe('base access', () => {
  it('a token for one base gets 403 on any other base, whatever the scope', async () => {
    const crmOnly = await token({ bases: [B] });
    await json(await t.api(`/v0/${B}/Deals?pageSize=1`, as(crmOnly)));
    await forbidden(await t.api(`/v0/${P}/Features`, as(crmOnly)));
    await forbidden(await t.api(`/v0/${P}/Features`, as(crmOnly, send('POST', { fields: {} }))));
    await forbidden(await t.api(`/v0/meta/bases/${P}/tables`, as(crmOnly)));
    await json(await t.api(`/v0/meta/bases/${B}/tables`, as(crmOnly)));
  });

  it('GET /v0/meta/bases lists only the bases the token may reach', async () => {
    const crmOnly = await token({ bases: [B] });
    const { bases } = await json<{ bases: { id: string; permissionLevel: string }[] }>(
      await t.api('/v0/meta/bases', as(crmOnly)),
    );
    expect(bases.map((b) => b.id)).toEqual([B]);

    const none = await token({ bases: [] });
    expect(await json(await t.api('/v0/meta/bases', as(none)))).toEqual({ bases: [] });

    const all = await json<{ bases: { id: string }[] }>(await t.api('/v0/meta/bases'));
    expect(all.bases.map((b) => b.id)).toEqual([B, P]);
  });
});

describe('GET /v0/meta/whoami', () => {
  it('returns the owner id and the scopes, without the email unless user.email:read is granted', async () => {
    const scopes = ['data.records:read', 'schema.bases:read'];
    const plain = await token({ scopes });
    expect(await json(await t.api('/v0/meta/whoami', as(plain)))).toEqual({ id: OWNER_USER.id, scopes });

    const withEmail = await token({ scopes: [...scopes, 'user.email:read'] });
    expect(await json(await t.api('/v0/meta/whoami', as(withEmail)))).toEqual({
      id: OWNER_USER.id,
      email: OWNER_USER.email,
      scopes: [...scopes, 'user.email:read'],
    });
  });

  it('answers for the token owner, not the base owner', async () => {
    const grace = await token({ userId: GRACE, email: 'grace@example.com', scopes: ['user.email:read'] });
    expect(await json(await t.api('/v0/meta/whoami', as(grace)))).toEqual({
      id: GRACE,
      email: 'grace@example.com',
      scopes: ['user.email:read'],
    });
  });

  it('is 401 without a token', async () => {
    await expectError(await fetch(`${t.url}/v0/meta/whoami`), 401, 'AUTHENTICATION_REQUIRED');
  });
});

describe('the per-owner budget', () => {
  it('two tokens of one owner share it; another owner does not', async () => {
    const limited = await startTestEmulator({
      rateLimits: { enabled: true, perBase: 100, perOwner: 6, penaltyMs: 500 },
    });
    try {
      const grant = async (body: Record<string, unknown>) =>
        json<Grant>(await limited.admin('/tokens', { body }));
      const [first, second, stranger] = [await grant({}), await grant({}), await grant({ userId: GRACE })];
      const statuses = await Promise.all(
        [first, first, first, first, second, second, second, second].map(async (g, i) => {
          const res = await limited.api(
            i % 2 ? `/v0/${B}/Deals?pageSize=1` : `/v0/${P}/Features?pageSize=1`,
            as(g),
          );
          await res.body?.cancel();
          return res.status;
        }),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      await expectError(await limited.api('/v0/meta/whoami', as(second)), 429, 'RATE_LIMIT_REACHED');
      await json(await limited.api('/v0/meta/whoami', as(stranger)));
    } finally {
      await limited.close();
    }
  });
});
