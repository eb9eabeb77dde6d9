import { PASSWORD } from '@airsuite/platform-api/testing';
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type RunningOrchestratorServer, startOrchestratorServer } from '../http/server.ts';
import type { ChatRig } from '../testing/chat-rig.ts';
import { WEB_ROOT } from '../web-root.ts';
import { launchChromium } from './chromium.ts';

/** Shared helpers of the chat page's browser specs: the server, Chromium, and a watched page. */

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /**
   * Lets requests matching `predicate` fail, at the network level (e.g. a stream the test
   * cuts) or with a 4xx/5xx (e.g. a token the test spoiled); any other failure fails the test.
   */
  allowFailedRequest(predicate: (request: Request) => boolean): void;
  /** Reloads the page; requests the reload itself aborts (e.g. a list refresh in flight) are not failures. */
  reload(): Promise<void>;
  /** Asserts the page threw nothing (CSP violations included) and no request failed, then closes it. */
  close(): Promise<void>;
}

export interface ChatPageKit {
  /** The orchestrator's own server: the platform API, the conversations and the page on one origin. */
  server(): RunningOrchestratorServer;
  /** A new browser context on the page, watched for errors and failed requests. */
  openPage(): Promise<OpenPage>;
  /** Signs in with the rig owner's email and password. */
  signIn(page: Page): Promise<void>;
  /** Types `text` into the composer and presses Enter. */
  sendMessage(page: Page, text: string): Promise<void>;
  /** The chat transcript. */
  log(page: Page): Locator;
}

/** Starts the orchestrator server and Chromium for the spec (beforeAll), and stops them (afterAll). */
export function useChatPage(rig: ChatRig): ChatPageKit {
  let server: RunningOrchestratorServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    server = await startOrchestratorServer({
      platform: rig.platform.platform(),
      chat: rig.chat(),
      webRoot: WEB_ROOT,
      port: 0,
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useChatPage: used outside a test');
    return value;
  };

  return {
    server: () => ready(server),

    openPage: () => openWatchedPage(ready(browser), ready(server).url),

    async signIn(page) {
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(rig.owner().email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    },

    async sendMessage(page, text) {
      const message = page.getByLabel('Message', { exact: true });
      await message.fill(text);
      await message.press('Enter');
    },

    log: (page) => page.getByRole('log', { name: 'Chat transcript' }),
  };
}

/** A new browser context on the page at `url`, watched for errors and failed requests. */
async function openWatchedPage(browser: Browser, url: string): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const failures: string[] = [];
  const allowed: ((request: Request) => boolean)[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    // Failed requests are reported below, with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      failures.push(message.text());
    }
  });
  page.on('response', (response) => {
    if (response.status() < 400 || allowed.some((predicate) => predicate(response.request()))) return;
    failures.push(`${response.status()} ${response.url()}`);
  });
  let closing = false;
  let reloading = false;
  page.on('requestfailed', (request) => {
    // Closing the context aborts what is still loading (e.g. a list refresh): not a failure.
    if (closing || allowed.some((predicate) => predicate(request))) return;
    // So does navigating away, but only an abort: a reload must not hide a real error.
    if (reloading && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    failures.push(`${request.failure()?.errorText ?? 'failed'} ${request.method()} ${request.url()}`);
  });
  await page.goto(url);
  return {
    context,
    page,
    allowFailedRequest(predicate) {
      allowed.push(predicate);
    },
    async reload() {
      reloading = true;
      try {
        await page.reload();
      } finally {
        reloading = false;
      }
    },
    async close() {
      closing = true;
      await context.close();
      expect(failures).toEqual([]);
    },
  };
}
