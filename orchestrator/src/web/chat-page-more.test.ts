import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clearFaults, slowEmulator } from '../scenarios/scenario-kit.ts';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
import { useChatPage } from './page-kit.ts';

/**
 * The chat page in Chromium when a run does not simply stream to its end: the person cancels
 * it (a hanging model, a slow tool), or the stream drops and the page resumes it with
 * Last-Event-ID.
 */

const rig = useChatRig();
const { openPage, signIn, sendMessage, log, server } = useChatPage(rig);

afterEach(() => clearFaults(rig));

const countDeals = {
  functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }],
};

describe('the chat page, cancelling and resuming', () => {
  it('cancels a run whose model hangs, then takes a new message', async () => {
    const { page, close } = await openPage();
    await signIn(page);
    const cancel = page.getByRole('button', { name: 'Cancel' });
    expect(await cancel.isHidden()).toBe(true);

    rig.gemini().enqueue({ hang: true });
    const requestsBefore = rig.gemini().requests.length;
    await sendMessage(page, 'Tell me a long story');
    await cancel.waitFor();
    // The run reached the model (so there is something running to cancel).
    await expect.poll(() => rig.gemini().requests.length).toBe(requestsBefore + 1);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);

    await cancel.click();
    const transcript = log(page);
    const answer = transcript.locator('article.assistant').last();
    await answer.getByRole('alert').filter({ hasText: 'CHAT_CANCELLED' }).waitFor();
    await answer.getByText('Cancelled.', { exact: true }).waitFor();
    await cancel.waitFor({ state: 'hidden' });
    await page.locator('#chat-status').getByText('Cancelled.').waitFor();
    expect(await answer.locator('p.text').count()).toBe(0);

    // The conversation goes on.
    rig.gemini().enqueue({ text: 'Once upon a time.' });
    await sendMessage(page, 'A short one then');
    await transcript.getByText('Once upon a time.').waitFor();
    await cancel.waitFor({ state: 'hidden' });
    expect(await transcript.getByRole('alert').count()).toBe(1);
    await close();
  }, 30_000);

  it('cancels a slow tool call without waiting for it', async () => {
    const { page, reload, close } = await openPage();
    await signIn(page);
    slowEmulator(rig, 5_000);
    rig.gemini().enqueue(countDeals);
    await sendMessage(page, 'How many deals are there?');
    const transcript = log(page);
    const call = transcript.locator('details.tool', { hasText: 'count_records' });
    await call.locator('summary', { hasText: 'running…' }).waitFor();

    const cancel = page.getByRole('button', { name: 'Cancel' });
    const cancelledAt = Date.now();
    await cancel.click();
    await transcript.getByRole('alert').filter({ hasText: 'CHAT_CANCELLED' }).waitFor();
    await cancel.waitFor({ state: 'hidden' });
    expect(Date.now() - cancelledAt).toBeLessThan(3_000);
    expect(await call.locator('summary').textContent()).toBe('Tool count_records cancelled');

    clearFaults(rig);
    rig.gemini().enqueue({ text: 'Sure, ask away.' });
    await sendMessage(page, 'Never mind. Can I ask something else?');
    await transcript.getByText('Sure, ask away.').waitFor();
    await cancel.waitFor({ state: 'hidden' });

    // History says the same after a reload.
    await reload();
    await page.getByRole('button', { name: 'How many deals are there?' }).click();
    await transcript.getByText('Sure, ask away.').waitFor();
    expect(await transcript.locator('details.tool summary').allTextContents()).toEqual([
      'Tool count_records cancelled',
    ]);
    await close();
  }, 30_000);

  it('resumes a dropped stream with Last-Event-ID and shows the answer once', async () => {
    const { page, allowFailedRequest, close } = await openPage();
    await signIn(page);

    // The model's second step waits until the stream has been cut and resumed.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    rig.gemini().enqueue({ text: 'Let me count.', ...countDeals });
    rig.gemini().respondWith(async () => {
      await gate;
      return { text: ['There are ', 'some ', 'deals.'] };
    });

    // The server side of the page's message stream, to cut it.
    let messageSocket: Socket | undefined;
    let messagePath = '';
    const onRequest = (request: IncomingMessage) => {
      if (request.method === 'POST' && request.url?.endsWith('/messages')) {
        messageSocket = request.socket;
        messagePath = request.url;
      }
    };
    const http = server().app.server;
    http.on('request', onRequest);
    allowFailedRequest((request) => request.method() === 'POST' && request.url().endsWith('/messages'));
    const resumed: { url: string; lastEventId: string | undefined }[] = [];
    page.on('request', async (request) => {
      if (request.method() === 'GET' && /\/v1\/conversations\/[^/]+\/events$/.test(request.url())) {
        resumed.push({ url: request.url(), lastEventId: (await request.allHeaders())['last-event-id'] });
      }
    });

    try {
      await sendMessage(page, 'How many deals are there?');
      const transcript = log(page);
      const call = transcript.locator('details.tool', { hasText: 'count_records' });
      await call.locator('summary', { hasText: 'done' }).waitFor();
      await transcript.getByText('Let me count.').waitFor();
      await expect.poll(() => rig.gemini().requests.at(-1)?.body.contents?.length ?? 0).toBeGreaterThan(1);

      expect(messageSocket).toBeDefined();
      messageSocket?.destroy();
      await expect.poll(() => resumed.length, { timeout: 5_000 }).toBe(1);
      expect(resumed[0]?.url).toBe(`${server().url}${messagePath.replace(/\/messages$/, '/events')}`);
      // `<runId>:<seq>` of the last event the page had.
      expect(resumed[0]?.lastEventId).toMatch(/^[^:]+:\d+$/);
      expect(Number(resumed[0]?.lastEventId?.split(':')[1])).toBeGreaterThan(1);
      release();

      await transcript.getByText('There are some deals.').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'hidden' });
      const answer = transcript.locator('article.assistant').last();
      // Every part exactly once: nothing replayed twice, nothing lost.
      expect(await answer.locator('p.text').allTextContents()).toEqual([
        'Let me count.',
        'There are some deals.',
      ]);
      expect(await answer.locator('details.tool').count()).toBe(1);
      expect(await answer.locator('.usage').count()).toBe(1);
      expect(await answer.locator('.usage').textContent()).toMatch(/2 steps · 1 tool call/);
      expect(await transcript.getByRole('alert').count()).toBe(0);
      expect(resumed).toHaveLength(1);
    } finally {
      release();
      http.off('request', onRequest);
    }
    await close();
  }, 30_000);
});
