import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
import { useChatPage } from './page-kit.ts';

/**
 * The web chat page in a real (headless) Chromium against the real API on one origin: sign
 * in, a streamed answer with a tool call, an approval card that deletes a record in the
 * emulator, history, sign-out; and an accessibility smoke check.
 */

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const rig = useChatRig();
const { openPage, signIn } = useChatPage(rig);

/** Seeds a company through the platform's tools REST; returns its record id. */
async function seedCompany(name: string): Promise<string> {
  const response = await rig.platform.call(
    'POST',
    `/v1/workspaces/${rig.workspaceId()}/tools/create_records`,
    {
      auth: rig.owner().auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
    },
  );
  expect(response.statusCode).toBe(200);
  return response.json().output.records[0].id;
}

const emulatorRecord = (recordId: string) =>
  fetch(`${rig.platform.emulator().url}/v0/${SAMPLE_CRM}/Companies/${recordId}`, {
    headers: { authorization: `Bearer ${rig.platform.airtableToken()}` },
  });

describe('the chat page', () => {
  it('signs in, streams answers with tool calls, and deletes a record after approval', async () => {
    const { page, reload, close } = await openPage();
    await signIn(page);
    expect(await page.getByLabel('Workspace').inputValue()).toBe(rig.workspaceId());

    // 1. A read tool call, then a streamed text answer.
    rig
      .gemini()
      .enqueue(
        { functionCalls: [{ name: 'count_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }] },
        { text: ['There are ', 'some ', 'deals.'] },
      );
    const message = page.getByLabel('Message', { exact: true });
    await message.fill('How many deals are there?');
    await message.press('Enter');
    const log = page.getByRole('log', { name: 'Chat transcript' });
    await log.getByText('There are some deals.').waitFor();
    const countCall = log.locator('details.tool', { hasText: 'count_records' });
    expect(await countCall.locator('summary').textContent()).toContain('done');
    await countCall.locator('summary').click();
    expect(await countCall.textContent()).toContain('"table": "Deals"');
    // Text deltas were appended one by one, not rendered once at the end.
    const answer = log.locator('p.text', { hasText: 'There are some deals.' });
    expect(await answer.evaluate((p) => p.childNodes.length)).toBeGreaterThan(1);
    const firstAnswer = log.locator('article.assistant').first();
    expect(
      await firstAnswer.locator('.parts > *').evaluateAll((parts) => parts.map((p) => p.className)),
    ).toEqual(['tool', 'text', 'usage']);
    expect(await firstAnswer.locator('.usage').textContent()).toMatch(/tokens .* 2 steps · 1 tool call/);
    await page.getByRole('button', { name: 'How many deals are there?' }).waitFor();

    // 2. delete_records needs approval: the card shows the exact arguments and the dry run.
    const recordId = await seedCompany('Page Test Co');
    rig.gemini().enqueue(
      {
        functionCalls: [
          {
            name: 'delete_records',
            args: { base_id: SAMPLE_CRM, table: 'Companies', record_ids: [recordId] },
          },
        ],
      },
      { text: 'Deleted Page Test Co.' },
    );
    await message.fill('Delete the company Page Test Co');
    await message.press('Enter');
    const card = page.getByRole('region', { name: 'Approval needed: delete_records' });
    await card.waitFor();
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).toContain(recordId);
    expect(cardText).toContain('cannot be undone');
    expect(cardText).toMatch(/Would delete 1 record/);
    await expect.poll(() => card.evaluate((element) => element.matches(':focus'))).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel' }).isHidden()).toBe(true);

    await card.getByRole('button', { name: 'Approve' }).click();
    await log.getByText('Deleted Page Test Co.').waitFor();
    await card.getByRole('status').getByText('Approved.').waitFor();
    const deleteCall = log.locator('details.tool', { hasText: 'delete_records' }).last();
    expect(await deleteCall.locator('summary').textContent()).toContain('done');
    expect((await emulatorRecord(recordId)).status).toBe(404);
    // Focus returns to the composer once the continuation ends.
    await expect.poll(() => message.evaluate((element) => element.matches(':focus'))).toBe(true);

    await mkdir(ARTIFACTS, { recursive: true });
    // Tall enough for the whole conversation (a full-page shot would float the sticky composer).
    await page.setViewportSize({ width: 1200, height: 1800 });
    await page.screenshot({ path: `${ARTIFACTS}chat-page.png` });
    await page.setViewportSize({ width: 1200, height: 900 });

    // 3. History survives a reload (the token is in sessionStorage): both turns, with their tool calls.
    await reload();
    await page.getByRole('button', { name: 'How many deals are there?' }).click();
    await log.getByText('There are some deals.').waitFor();
    expect(await log.getByText('How many deals are there?').count()).toBe(1);
    await log.getByText('Deleted Page Test Co.').waitFor();
    expect(await log.locator('details.tool summary').allTextContents()).toEqual([
      'Tool count_records done',
      'Tool delete_records done',
    ]);
    expect(await page.getByRole('region', { name: /Approval needed/ }).count()).toBe(0);

    // 4. Sign out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await close();
  }, 60_000);

  it('validates edited arguments, and denies with a reason', async () => {
    const { page, close } = await openPage();
    await signIn(page);
    rig.gemini().enqueue(
      {
        functionCalls: [
          {
            name: 'delete_records',
            args: { base_id: SAMPLE_CRM, table: 'Companies', record_ids: ['recDoesNotExist00'] },
          },
        ],
      },
      { text: 'Understood, nothing was deleted.' },
    );
    const message = page.getByLabel('Message', { exact: true });
    await message.fill('Remove that company');
    await message.press('Enter');
    const card = page.getByRole('region', { name: 'Approval needed: delete_records' });
    await card.waitFor();

    await card.getByRole('button', { name: 'Edit' }).click();
    const args = card.getByLabel('Arguments (JSON)');
    expect(await args.inputValue()).toContain('recDoesNotExist00');
    await args.fill('{ "base_id": ');
    await card.getByRole('button', { name: 'Run with these arguments' }).click();
    await card.getByText(/^Not valid JSON/).waitFor();
    expect(await args.getAttribute('aria-invalid')).toBe('true');
    await args.fill('[1, 2]');
    await card.getByRole('button', { name: 'Run with these arguments' }).click();
    await card.getByText('The arguments must be a JSON object.').waitFor();

    await card.getByLabel('Reason for denying (optional)').fill('keep it');
    await card.getByRole('button', { name: 'Deny' }).click();
    const log = page.getByRole('log', { name: 'Chat transcript' });
    await log.getByText('Understood, nothing was deleted.').waitFor();
    await card.getByRole('status').getByText('Denied.').waitFor();
    expect(await log.locator('details.tool summary').last().textContent()).toContain('denied');
    await close();
  }, 30_000);

  it('signs in with an API key, in its own workspace', async () => {
    const key = await rig.platform.apiKey(rig.owner(), rig.workspaceId(), 'editor');
    const { page, close } = await openPage();
    await page.getByLabel('API key').fill(key.key);
    await page.getByRole('button', { name: 'Sign in with key' }).click();
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    expect(await page.getByLabel('Workspace').inputValue()).toBe(rig.workspaceId());
    // The picker names the key's workspace, as it does for an account (not its wsp_… id).
    expect(await page.getByLabel('Workspace').locator('option:checked').textContent()).toBe('Team space');
    expect(await page.getByText('API key “editor key” (editor)').count()).toBe(1);
    // The owner's conversations are not the key's.
    await page.getByText('No conversations yet.').waitFor();
    await close();
  }, 30_000);

  it('passes an accessibility smoke check', async () => {
    const { page, close } = await openPage();
    const unlabelled = () =>
      page
        .locator('input, textarea, select')
        .evaluateAll((fields) =>
          fields
            .filter((field) => (field.labels?.length ?? 0) === 0 && !field.getAttribute('aria-label'))
            .map((field) => field.outerHTML),
        );
    expect(await unlabelled()).toEqual([]);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // Keyboard: Tab reaches the skip link first.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');

    await signIn(page);
    expect(await unlabelled()).toEqual([]);
    const log = page.getByRole('log', { name: 'Chat transcript' });
    expect(await log.getAttribute('aria-live')).toBe('polite');
    expect(await page.getByRole('banner').count()).toBe(1);
    // After signing in, focus is in the message box.
    expect(await page.locator(':focus').getAttribute('id')).toBe('message');
    await close();
  }, 30_000);
});
