import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, json, send, sleep } from './http-test-helpers.ts';
import {
  allPayloads,
  createHook,
  HB,
  listedHook,
  patchTask,
  payloadPage,
  resetToHooksBase,
  TASK_2,
} from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Notification pings to a real local HTTP server: the body Airtable sends, its
// X-Airtable-Content-MAC (checked here with node:crypto), coalescing, failures recorded in
// lastNotificationResult and retried, and when no ping is sent at all.

const DATA = { filters: { dataTypes: ['tableData'] } };
const RETRY_MS = 50;

interface Ping {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  pings: Ping[];
  /** How the next pings are answered; 204 with an empty body by default. */
  answer: (res: ServerResponse) => void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = {
    pings: [] as Ping[],
    answer: (res: ServerResponse) => {
      res.writeHead(204).end();
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.pings.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      receiver.answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/airtable-ping`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let t: TestEmulator;
let receiver: Receiver;

beforeAll(async () => {
  t = await startTestEmulator({ webhookPings: { retryDelaysMs: [RETRY_MS], timeoutMs: 500 } });
});
afterAll(() => t.close());
beforeEach(async () => {
  await resetToHooksBase(t);
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

describe('a ping', () => {
  it('POSTs {base, webhook, timestamp} with a MAC of the body keyed by the decoded secret', async () => {
    const hook = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor('a ping', () => receiver.pings.length === 1);
    const [ping] = receiver.pings as [Ping];
    expect(JSON.parse(ping.body)).toEqual({
      base: { id: HB },
      webhook: { id: hook.id },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(ping.headers['content-type']).toMatch(/^application\/json/);
    const mac = createHmac('sha256', Buffer.from(hook.macSecretBase64, 'base64'))
      .update(ping.body)
      .digest('hex');
    expect(ping.headers['x-airtable-content-mac']).toBe(`hmac-sha256=${mac}`);
  });

  it('is recorded as the webhook’s lastNotificationResult', async () => {
    const hook = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor('a result', async () => (await listedHook(t, hook.id)).lastNotificationResult !== null);
    const listed = await listedHook(t, hook.id);
    expect(listed.lastNotificationResult).toEqual({
      success: true,
      completionTimestamp: expect.any(String),
      durationMs: expect.any(Number),
      retryNumber: 0,
    });
    expect(listed.lastSuccessfulNotificationTime).toBe(listed.lastNotificationResult?.completionTimestamp);
  });

  it('lets the receiver pull the payload it announces', async () => {
    const hook = await createHook(t, DATA, receiver.url);
    let pulled: unknown[] = [];
    receiver.answer = (res) => {
      res.writeHead(204).end();
      void payloadPage(t, hook.id).then((page) => {
        pulled = page.payloads;
      });
    };
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor('the pull', () => pulled.length === 1);
  });

  it('never delays the API call that made the change: the call is answered while its ping waits', async () => {
    const held: ServerResponse[] = [];
    receiver.answer = (res) => held.push(res);
    const hook = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor('the held ping', () => held.length === 1);
    await patchTask(t, TASK_2, { Hours: 2 });
    expect((await listedHook(t, hook.id)).lastNotificationResult).toBeNull();
    for (const res of held) res.writeHead(204).end();
  });

  it('coalesces: the changes made while one is in flight are announced by one more', async () => {
    const held: ServerResponse[] = [];
    receiver.answer = (res) => held.push(res);
    const hook = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor('the first ping', () => held.length === 1);
    for (let i = 2; i <= 6; i++) await patchTask(t, TASK_2, { Hours: i });
    held.shift()?.writeHead(204).end();
    await waitFor('the follow-up ping', () => held.length === 1);
    held.shift()?.writeHead(204).end();
    await sleep(100);
    expect(receiver.pings).toHaveLength(2);
    expect(await allPayloads(t, hook.id)).toHaveLength(6);
  });
});

describe('a failed ping', () => {
  it('is recorded with its error and retried; the change itself stands', async () => {
    receiver.answer = (res) => {
      res.writeHead(500).end('down');
    };
    const hook = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor('the first failure', () => receiver.pings.length >= 1);
    await waitFor(
      'the retry',
      async () => (await listedHook(t, hook.id)).lastNotificationResult?.retryNumber === 1,
    );
    const listed = await listedHook(t, hook.id);
    expect(listed.lastNotificationResult).toEqual({
      success: false,
      error: { message: expect.stringContaining('500') },
      completionTimestamp: expect.any(String),
      durationMs: expect.any(Number),
      retryNumber: 1,
      willBeRetried: false,
    });
    expect(listed.lastSuccessfulNotificationTime).toBeNull();
    expect(receiver.pings).toHaveLength(2);
    expect(await allPayloads(t, hook.id)).toHaveLength(1);
  });

  it('says it will be retried while retries remain, and a later success clears the failure', async () => {
    let fail = true;
    receiver.answer = (res) => {
      res.writeHead(fail ? 503 : 200).end();
    };
    const hook = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    await waitFor(
      'the first failure',
      async () => (await listedHook(t, hook.id)).lastNotificationResult !== null,
    );
    expect((await listedHook(t, hook.id)).lastNotificationResult).toMatchObject({
      success: false,
      retryNumber: 0,
      willBeRetried: true,
    });
    fail = false;
    await waitFor(
      'the retry',
      async () => (await listedHook(t, hook.id)).lastNotificationResult?.success === true,
    );
    expect((await listedHook(t, hook.id)).lastNotificationResult).toMatchObject({
      success: true,
      retryNumber: 1,
    });
  });

  it('counts an unreachable URL or a receiver that does not answer in time as failures', async () => {
    const gone = await startReceiver();
    await gone.close();
    const unreachable = await createHook(t, DATA, gone.url);
    receiver.answer = () => {};
    const silent = await createHook(t, DATA, receiver.url);
    await patchTask(t, TASK_2, { Hours: 1 });
    // A deadline, not a timing claim: a loaded CI machine may take seconds to refuse and time out.
    for (const hook of [unreachable, silent])
      await waitFor(
        'a failure',
        async () => (await listedHook(t, hook.id)).lastNotificationResult !== null,
        15_000,
      );
    expect((await listedHook(t, unreachable.id)).lastNotificationResult?.error).toEqual({
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect((await listedHook(t, silent.id)).lastNotificationResult).toMatchObject({ success: false });
  });
});

describe('no ping is sent', () => {
  it('with notifications disabled, though the payload is kept', async () => {
    const hook = await createHook(t, DATA, receiver.url);
    await json(
      await t.api(`/v0/bases/${HB}/webhooks/${hook.id}/enableNotifications`, send('POST', { enable: false })),
    );
    await patchTask(t, TASK_2, { Hours: 1 });
    await sleep(150);
    expect(receiver.pings).toEqual([]);
    expect(await allPayloads(t, hook.id)).toHaveLength(1);
  });

  it('for a refused write, a deleted webhook, or an expired one', async () => {
    const expired = await createHook(t, DATA, receiver.url);
    const deleted = await createHook(t, DATA, receiver.url);
    await json(await t.admin('/webhooks/expire', { body: { webhookId: expired.id } }));
    await json(await t.api(`/v0/bases/${HB}/webhooks/${deleted.id}`, { method: 'DELETE' }));
    await expectError(
      await t.api(`/v0/${HB}/Tasks/${TASK_2}`, send('PATCH', { fields: { Nope: 1 } })),
      422,
      'UNKNOWN_FIELD_NAME',
    );
    await patchTask(t, TASK_2, { Hours: 1 });
    await sleep(150);
    expect(receiver.pings).toEqual([]);
    expect(await allPayloads(t, expired.id)).toEqual([]);
  });
});
