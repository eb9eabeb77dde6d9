import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { useChatPage } from './page-kit.ts';

/**
 * The chat page in Chromium when the server has no Gemini key: the first message is refused
 * before a conversation exists, with the code and the advice once, and the page stays usable.
 */

const rig = useChatRig({ withModel: false });
const { openPage, signIn, sendMessage, log } = useChatPage(rig);

const occurrences = (text: string, word: string) => text.split(word).length - 1;

describe('the chat page without a Gemini key', () => {
  it('says CHAT_MODEL_NOT_CONFIGURED and to set GEMINI_API_KEY once, and makes no conversation', async () => {
    const { page, allowFailedRequest, close } = await openPage();
    allowFailedRequest(
      (request) => request.method() === 'POST' && request.url().endsWith('/v1/conversations'),
    );
    await signIn(page);
    for (const attempt of ['Hello', 'Hello again']) {
      const refused = page.waitForResponse((r) => r.url().endsWith('/v1/conversations'));
      await sendMessage(page, attempt);
      expect((await refused).status()).toBe(503);
      const alert = page.getByRole('alert').filter({ hasText: 'CHAT_MODEL_NOT_CONFIGURED' });
      await alert.waitFor();
      expect(await alert.locator('code').textContent()).toBe('CHAT_MODEL_NOT_CONFIGURED');
      // One alert (a retry replaces it), and the advice in it once.
      expect(await page.getByRole('alert').count()).toBe(1);
      const text = await page.locator('body').innerText();
      expect(occurrences(text, 'GEMINI_API_KEY')).toBe(1);
      // Nothing was made: no conversation in the list, no turn in the transcript, the text kept.
      await page.getByText('No conversations yet.').waitFor();
      expect(await log(page).locator('article').count()).toBe(0);
      expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe(attempt);
      await page.getByLabel('Message', { exact: true }).fill('');
    }
    const [row] = await rig.platform
      .db()
      .query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE workspace_id = $1', [
        rig.workspaceId(),
      ]);
    expect(row?.n).toBe(0);
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
    expect(rig.gemini().requests).toHaveLength(0);
    await close();
  }, 30_000);
});
