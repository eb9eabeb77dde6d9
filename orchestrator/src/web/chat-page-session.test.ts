import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { useChatPage } from './page-kit.ts';

/**
 * An account's access token lives 15 minutes; a chat lasts longer. The page trades its
 * refresh token for a new pair when the server says 401, retries once, and only signs the
 * person out when the refresh token is refused too.
 */

const rig = useChatRig();
const { openPage, signIn, sendMessage, log } = useChatPage(rig);

/** The page's sessionStorage (these specs compile without the DOM library). */
interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

const tokens = (page: Page) =>
  page.evaluate(() => {
    const { sessionStorage } = globalThis as unknown as PageGlobals;
    return {
      access: sessionStorage.getItem('airsuite.chat.token'),
      refresh: sessionStorage.getItem('airsuite.chat.refresh'),
    };
  });

/** A token the server refuses with 401, as it does an expired one: its signature no longer holds. */
const spoil = (token: string) => `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;

describe('the chat page, when the access token stops working', () => {
  it('renews it with the refresh token and the message goes through', async () => {
    const { page, allowFailedRequest, close } = await openPage();
    await signIn(page);
    const before = await tokens(page);
    expect(before.refresh).toEqual(expect.any(String));
    const spoiled = spoil(before.access ?? '');
    await page.evaluate((token) => {
      (globalThis as unknown as PageGlobals).sessionStorage.setItem('airsuite.chat.token', token);
    }, spoiled);
    const refused: string[] = [];
    allowFailedRequest((request) => {
      const spoilt = request.headers().authorization === `Bearer ${spoiled}`;
      if (spoilt) refused.push(`${request.method()} ${new URL(request.url()).pathname}`);
      return spoilt;
    });

    rig.gemini().enqueue({ text: 'Still here after the renewal.' });
    await sendMessage(page, 'Are you still there?');
    await log(page).getByText('Still here after the renewal.').waitFor();

    expect(refused).toEqual([expect.stringMatching(/^POST \/v1\/conversations(\/cnv_[^/]+\/messages)?$/)]);
    const after = await tokens(page);
    expect(after.access).not.toBe(spoiled);
    expect(after.access).not.toBe(before.access);
    // Refresh tokens are spent on use: the page keeps the new one.
    expect(after.refresh).toEqual(expect.any(String));
    expect(after.refresh).not.toBe(before.refresh);
    await close();
  }, 30_000);

  it('signs out with a clear message when the refresh token is refused as well', async () => {
    const { page, allowFailedRequest, close } = await openPage();
    await signIn(page);
    const spoiled = spoil((await tokens(page)).access ?? '');
    await page.evaluate((token) => {
      const { sessionStorage } = globalThis as unknown as PageGlobals;
      sessionStorage.setItem('airsuite.chat.token', token);
      sessionStorage.setItem('airsuite.chat.refresh', 'not-a-refresh-token');
    }, spoiled);
    allowFailedRequest(
      (request) =>
        request.headers().authorization === `Bearer ${spoiled}` ||
        new URL(request.url()).pathname === '/v1/auth/refresh',
    );

    await sendMessage(page, 'Hello?');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your session has ended; sign in again.').waitFor();
    expect(await tokens(page)).toEqual({ access: null, refresh: null });
    await close();
  }, 30_000);
});
