import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, sleep } from './http-test-helpers.ts';
import {
  allPayloads,
  createHook,
  listHooks,
  patchTask,
  resetToHooksBase,
  TASK_2,
} from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// With `dataDir`, webhooks (their secrets, cursors, notification results) and their payloads
// survive a restart; `fresh` forgets them; a state file from before webhooks existed still loads.

const DATA = { filters: { dataTypes: ['tableData'] } };
const STATE_FILE = 'emulator-state.json';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'airsuite-webhooks-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function withEmulator<T>(
  options: { fresh?: boolean },
  run: (t: TestEmulator) => Promise<T>,
): Promise<T> {
  const t = await startTestEmulator({ dataDir, ...options });
  try {
    return await run(t);
  } finally {
    await t.close();
  }
}

/** A receiver that keeps each ping's body and MAC header. */
async function receiver(): Promise<{
  url: string;
  pings: { body: string; mac: string }[];
  close(): Promise<void>;
}> {
  const pings: { body: string; mac: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      pings.push({ body, mac: String(req.headers['x-airtable-content-mac']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    pings,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300 && !(await check()); i++) await sleep(10);
  expect(await check()).toBe(true);
}

describe('across a restart', () => {
  it('keeps webhooks, payloads, cursors and notification results; numbering goes on', async () => {
    const ping = await receiver();
    try {
      const before = await withEmulator({}, async (t) => {
        await resetToHooksBase(t);
        const hook = await createHook(t, DATA, ping.url);
        await patchTask(t, TASK_2, { Hours: 1 });
        await waitFor(async () => (await listHooks(t))[0]?.lastNotificationResult !== null);
        // Payloads first: listing them extends the webhook's life.
        const payloads = await allPayloads(t, hook.id);
        return { hook, payloads, listed: await listHooks(t) };
      });
      await withEmulator({}, async (t) => {
        expect(await listHooks(t)).toEqual(before.listed);
        expect(before.listed[0]?.lastNotificationResult).toMatchObject({ success: true });
        expect(await allPayloads(t, before.hook.id)).toEqual(before.payloads);
        await patchTask(t, TASK_2, { Hours: 2 });
        const payloads = await allPayloads(t, before.hook.id);
        expect(payloads.map((p) => p.baseTransactionNumber)).toEqual([1, 2]);
        expect((await listHooks(t))[0]?.cursorForNextPayload).toBe(3);
        // The secret handed out before the restart still verifies the pings after it.
        await waitFor(() => ping.pings.length === 2);
        const last = ping.pings[1] as { body: string; mac: string };
        const mac = createHmac('sha256', Buffer.from(before.hook.macSecretBase64, 'base64'))
          .update(last.body)
          .digest('hex');
        expect(last.mac).toBe(`hmac-sha256=${mac}`);
      });
    } finally {
      await ping.close();
    }
  });

  it('forgets them with fresh', async () => {
    await withEmulator({}, async (t) => {
      await resetToHooksBase(t);
      await createHook(t, DATA);
    });
    await withEmulator({ fresh: true }, async (t) => {
      await resetToHooksBase(t);
      expect(await listHooks(t)).toEqual([]);
    });
  });

  it('loads a state file written before webhooks existed, with none', async () => {
    await withEmulator({}, async (t) => {
      await resetToHooksBase(t);
      await createHook(t, DATA);
    });
    const path = join(dataDir, STATE_FILE);
    const { webhooks: _dropped, ...older } = JSON.parse(await readFile(path, 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(path, JSON.stringify(older));
    await withEmulator({}, async (t) => {
      expect(await listHooks(t)).toEqual([]);
      await json(await t.api('/v0/meta/bases'));
    });
  });
});
