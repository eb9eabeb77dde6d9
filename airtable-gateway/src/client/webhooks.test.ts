import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, type ClientRig, ITEMS, numbered, startClientRig } from './test-kit.ts';
import type { WebhookSpecification } from './webhooks.ts';

let rig: ClientRig;

beforeAll(async () => {
  rig = await startClientRig();
});
afterAll(async () => {
  expect((await rig.stats()).rateLimited).toBe(0);
  await rig.close();
});

const EVERYTHING: WebhookSpecification = {
  options: {
    filters: { dataTypes: ['tableData', 'tableFields', 'tableMetadata'] },
    includes: { includePreviousCellValues: true, includePreviousFieldDefinitions: true },
  },
};

async function deleteAll(): Promise<void> {
  for (const hook of await rig.gateway.listWebhooks(BASE)) await rig.gateway.deleteWebhook(BASE, hook.id);
}

describe('webhooks through the gateway client', () => {
  it('creates, lists, refreshes and deletes a webhook', async () => {
    const created = await rig.gateway.createWebhook(BASE, { specification: EVERYTHING });
    expect(created).toEqual({
      id: expect.stringMatching(/^ach/),
      macSecretBase64: expect.any(String),
      expirationTime: expect.any(String),
    });
    const [listed] = await rig.gateway.listWebhooks(BASE);
    expect(listed).toMatchObject({
      id: created.id,
      isHookEnabled: true,
      areNotificationsEnabled: false,
      notificationUrl: null,
      cursorForNextPayload: 1,
      specification: EVERYTHING,
    });
    // The secret is never listed.
    expect(JSON.stringify(listed)).not.toContain(created.macSecretBase64);

    const refreshed = await rig.gateway.refreshWebhook(BASE, created.id);
    expect(Date.parse(refreshed.expirationTime ?? '')).toBeGreaterThanOrEqual(
      Date.parse(created.expirationTime ?? ''),
    );

    await rig.gateway.deleteWebhook(BASE, created.id);
    expect(await rig.gateway.listWebhooks(BASE)).toEqual([]);
  });

  it('reads payloads page by page with the cursor, each change once, previous values included', async () => {
    const hook = await rig.gateway.createWebhook(BASE, { specification: EVERYTHING });
    try {
      const written = await rig.gateway.createMany(BASE, ITEMS, numbered(3));
      expect(written.ok).toBe(true);
      const [outcome] = written.records;
      const first = outcome?.status === 'written' ? outcome.id : '';
      await rig.gateway.updateMany(BASE, ITEMS, [{ id: first, fields: { Name: 'Renamed' } }]);

      const page = await rig.gateway.listWebhookPayloads(BASE, hook.id, { limit: 1 });
      expect(page).toMatchObject({ cursor: 2, mightHaveMore: true });
      expect(page.payloads).toHaveLength(1);
      const [created] = page.payloads;
      expect(created?.actionMetadata?.source).toBe('publicApi');
      const tableId = Object.keys(created?.changedTablesById ?? {})[0] as string;
      expect(Object.keys(created?.changedTablesById?.[tableId]?.createdRecordsById ?? {})).toHaveLength(3);

      const next = await rig.gateway.listWebhookPayloads(BASE, hook.id, { cursor: page.cursor });
      expect(next).toMatchObject({ cursor: 3, mightHaveMore: false });
      const change = next.payloads[0]?.changedTablesById?.[tableId]?.changedRecordsById?.[first];
      const nameField = Object.keys(change?.current.cellValuesByFieldId ?? {})[0] as string;
      expect(change?.current.cellValuesByFieldId[nameField]).toBe('Renamed');
      expect(change?.previous?.cellValuesByFieldId[nameField]).toBe('Item 0');

      // Nothing new: the cursor stays.
      expect(await rig.gateway.listWebhookPayloads(BASE, hook.id, { cursor: next.cursor })).toEqual({
        payloads: [],
        cursor: 3,
        mightHaveMore: false,
      });
    } finally {
      await deleteAll();
    }
  });

  it('gives the webhook a notification URL whose pings carry the MAC of their body', async () => {
    const bodies: { body: string; mac: string | undefined }[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        bodies.push({ body, mac: req.headers['x-airtable-content-mac'] as string | undefined });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const hook = await rig.gateway.createWebhook(BASE, {
        notificationUrl: `http://127.0.0.1:${port}/ping`,
        specification: EVERYTHING,
      });
      await rig.gateway.createMany(BASE, ITEMS, numbered(1, 100));
      await expect.poll(() => bodies.length, { timeout: 5000 }).toBeGreaterThan(0);
      const [ping] = bodies;
      expect(JSON.parse(ping?.body ?? '{}')).toMatchObject({ base: { id: BASE }, webhook: { id: hook.id } });
      const expected = createHmac('sha256', Buffer.from(hook.macSecretBase64, 'base64'))
        .update(ping?.body ?? '')
        .digest('hex');
      expect(ping?.mac).toBe(`hmac-sha256=${expected}`);
    } finally {
      server.close();
      await deleteAll();
    }
  });

  it("passes Airtable's refusals on as AIRTABLE_ERROR with the status and type", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1)
      ids.push((await rig.gateway.createWebhook(BASE, { specification: EVERYTHING })).id);
    await expect(rig.gateway.createWebhook(BASE, { specification: EVERYTHING })).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 422,
      airtableType: 'TOO_MANY_WEBHOOKS_IN_BASE',
    });
    await deleteAll();

    await expect(rig.gateway.listWebhookPayloads(BASE, 'achAAAAAAAAAAAAAA')).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 404,
    });
    await expect(rig.gateway.deleteWebhook(BASE, ids[0] as string)).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 404,
    });

    const expired = await rig.gateway.createWebhook(BASE, { specification: EVERYTHING });
    await rig.admin('/webhooks/expire', { webhookId: expired.id });
    await expect(rig.gateway.refreshWebhook(BASE, expired.id)).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 422,
    });
    const [listed] = await rig.gateway.listWebhooks(BASE);
    expect(listed).toMatchObject({ id: expired.id, isHookEnabled: false });
    await deleteAll();
  });

  it("spends the base's budget like every other call", async () => {
    await rig.resetStats();
    const hook = await rig.gateway.createWebhook(BASE, { specification: EVERYTHING });
    await rig.gateway.listWebhookPayloads(BASE, hook.id);
    await rig.gateway.refreshWebhook(BASE, hook.id);
    await rig.gateway.listWebhooks(BASE);
    await rig.gateway.deleteWebhook(BASE, hook.id);
    expect((await rig.stats()).byBase[BASE]?.requests).toBe(5);
  });
});
