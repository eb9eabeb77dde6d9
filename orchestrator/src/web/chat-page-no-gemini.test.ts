import { describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { useChatPage } from './page-kit.ts';

/** The chat page in Chromium when the server has no Gemini key: a clear error, and a usable page. */

const rig = useChatRig({ withModel: false });
const { openPage, signIn, sendMessage, log } = useChatPage(rig);

describe('the chat page without a Gemini key', () => {
  it('says CHAT_MODEL_NOT_CONFIGURED and to set GEMINI_API_KEY, and stays usable', async () => {
    const { page, close } = await openPage();
    await signIn(page);
    await sendMessage(page, 'Hello');
    const transcript = log(page);
    const alert = transcript.getByRole('alert').filter({ hasText: 'CHAT_MODEL_NOT_CONFIGURED' });
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('set GEMINI_API_KEY');
    expect(await alert.locator('code').textContent()).toBe('CHAT_MODEL_NOT_CONFIGURED');
    // No answer text, only the error.
    const answer = transcript.locator('article.assistant');
    expect(await answer.count()).toBe(1);
    expect(await answer.locator('p.text').count()).toBe(0);

    // The composer is usable again: Cancel gone, Send enabled, focus back in the message box.
    const message = page.getByLabel('Message', { exact: true });
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'hidden' });
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
    expect(await message.isEditable()).toBe(true);
    expect(await message.inputValue()).toBe('');
    await expect.poll(() => message.evaluate((element) => element.matches(':focus'))).toBe(true);

    // A second message gets the same answer (the failed run does not block the conversation).
    await sendMessage(page, 'Hello again');
    await expect.poll(() => transcript.getByRole('alert').count()).toBe(2);
    expect(await transcript.getByText('CHAT_RUN_IN_PROGRESS').count()).toBe(0);
    expect(await transcript.getByText('CHAT_MODEL_NOT_CONFIGURED', { exact: true }).count()).toBe(2);
    expect(rig.gemini().requests).toHaveLength(0);
    await close();
  }, 30_000);
});
