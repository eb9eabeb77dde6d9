import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from './emulator.ts';
import { type ApiRecord, bearer, json, SALES_CRM_BASE_ID, send } from './http-test-helpers.ts';
import { startTestEmulator, TEST_TOKEN } from './test-support.ts';

// `dataDir`: what an emulator writes survives close, restart and a crash (it is on disk before
// the write is answered), tokens included, in an owner-only state file.

const B = SALES_CRM_BASE_ID;
const STATE_FILE = 'emulator-state.json';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'airsuite-emulator-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** An emulator with no `tokens` option, as `airsuite start --data DIR` runs it. */
const startDev = () => createEmulator({ port: 0, seed: 'sample', dataDir, rateLimits: { enabled: false } });

const call = (emulator: RunningEmulator, token: string, path: string, init: RequestInit = {}) =>
  fetch(`${emulator.url}${path}`, {
    ...init,
    headers: {
      ...bearer(token).headers,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });

describe('data survives a restart', () => {
  it('keeps records, comments, schema changes and the base list', async () => {
    const first = await startTestEmulator({ dataDir });
    const created = await json<ApiRecord>(
      await first.api(
        `/v0/${B}/Deals`,
        send('POST', { fields: { 'Deal Name': 'Persisted deal', Amount: 4200 } }),
      ),
    );
    const comment = await json<{ id: string }>(
      await first.api(`/v0/${B}/Deals/${created.id}/comments`, send('POST', { text: 'Remember me' })),
    );
    await json(
      await first.api(
        `/v0/meta/bases/${B}/tables`,
        send('POST', { name: 'Partners', fields: [{ name: 'Partner', type: 'singleLineText' }] }),
      ),
    );
    const exported = await (await first.admin('/export')).text();
    await first.close();

    const second = await startTestEmulator({ dataDir });
    try {
      expect(await json(await second.api(`/v0/${B}/Deals/${created.id}`))).toEqual(created);
      const { comments } = await json<{ comments: { id: string; text: string }[] }>(
        await second.api(`/v0/${B}/Deals/${created.id}/comments`),
      );
      expect(comments.map((c) => [c.id, c.text])).toEqual([[comment.id, 'Remember me']]);
      expect(await json(await second.api(`/v0/${B}/Partners`))).toEqual({ records: [] });
      expect(await (await second.admin('/export')).text()).toBe(exported);
    } finally {
      await second.close();
    }
  });

  it('keeps deletions: a reset to empty stays empty, whatever the seed option says', async () => {
    const first = await startTestEmulator({ dataDir });
    await json(await first.admin('/reset', { body: { seed: 'empty' } }));
    await first.close();

    const second = await startTestEmulator({ dataDir, seed: 'sample' });
    try {
      expect(await json(await second.api('/v0/meta/bases'))).toEqual({ bases: [] });
    } finally {
      await second.close();
    }
  });

  it('says whether the bases were restored, and `fresh` starts from the seed, replacing what was stored', async () => {
    const first = await startTestEmulator({ dataDir });
    expect(first.emulator.restored).toBe(false);
    const created = await json<ApiRecord>(
      await first.api(`/v0/${B}/Deals`, send('POST', { fields: { 'Deal Name': 'Gone after fresh' } })),
    );
    await first.close();

    const fresh = await startTestEmulator({ dataDir, fresh: true });
    expect(fresh.emulator.restored).toBe(false);
    expect((await fresh.api(`/v0/${B}/Deals/${created.id}`)).status).toBe(404);
    await fresh.close();

    const later = await startTestEmulator({ dataDir });
    try {
      expect(later.emulator.restored).toBe(true);
      expect((await later.api(`/v0/${B}/Deals/${created.id}`)).status).toBe(404);
    } finally {
      await later.close();
    }
  });

  it('continues autoNumber counters rather than reusing numbers', async () => {
    const first = await startTestEmulator({ dataDir });
    const a = await json<ApiRecord>(
      await first.api(`/v0/${B}/Companies`, send('POST', { fields: { Name: 'First Co' } })),
    );
    await json(await first.api(`/v0/${B}/Companies/${a.id}`, { method: 'DELETE' }));
    await first.close();

    const second = await startTestEmulator({ dataDir });
    try {
      const b = await json<ApiRecord>(
        await second.api(`/v0/${B}/Companies`, send('POST', { fields: { Name: 'Second Co' } })),
      );
      expect(b.fields['Company Number']).toBe((a.fields['Company Number'] as number) + 1);
    } finally {
      await second.close();
    }
  });
});

describe('tokens survive a restart', () => {
  it('the generated development token is the same after a restart', async () => {
    const first = await startDev();
    expect(first.generatedToken).toBe(true);
    expect(first.tokens).toHaveLength(1);
    const token = first.tokens[0] as string;
    expect(token).toMatch(/^pat[A-Za-z0-9]{14}\.[0-9a-f]{64}$/);
    await json(await call(first, token, '/v0/meta/whoami'));
    await first.close();

    const second = await startDev();
    try {
      expect(second.generatedToken).toBe(false);
      expect(second.tokens).toEqual([token]);
      await json(await call(second, token, `/v0/${B}/Deals?pageSize=1`));
    } finally {
      await second.close();
    }
  });

  it('keeps tokens made through the admin API, with their scopes', async () => {
    const first = await startTestEmulator({ dataDir });
    const limited = await json<{ token: string }>(
      await first.admin('/tokens', { body: { scopes: ['data.records:read'], bases: [B] } }),
    );
    await first.close();

    const second = await startTestEmulator({ dataDir });
    try {
      await json(await call(second.emulator, limited.token, `/v0/${B}/Deals?pageSize=1`));
      const denied = await call(
        second.emulator,
        limited.token,
        `/v0/${B}/Deals`,
        send('POST', { fields: {} }),
      );
      expect(denied.status).toBe(403);
      await json(await second.api('/v0/meta/whoami'));
    } finally {
      await second.close();
    }
  });

  it('an emulator given explicit tokens reports no generated token', async () => {
    const emulator = await startTestEmulator({ dataDir });
    try {
      expect(emulator.emulator.generatedToken).toBe(false);
      expect(emulator.emulator.tokens).toEqual([TEST_TOKEN]);
    } finally {
      await emulator.close();
    }
  });
});

describe('the state file', () => {
  it('is written at start, owner-only (0600), without temp files left behind', async () => {
    const emulator = await startDev();
    try {
      expect((await stat(join(dataDir, STATE_FILE))).mode & 0o777).toBe(0o600);
      await json(
        await call(
          emulator,
          emulator.tokens[0] as string,
          `/v0/${B}/Deals`,
          send('POST', { fields: { 'Deal Name': 'x' } }),
        ),
      );
    } finally {
      await emulator.close();
    }
    expect((await stat(join(dataDir, STATE_FILE))).mode & 0o777).toBe(0o600);
    expect(await readdir(dataDir)).toEqual([STATE_FILE]);
  });

  it('holds a write by the time its answer arrives, so a kill -9 right after cannot lose it', async () => {
    const emulator = await startTestEmulator({ dataDir });
    try {
      const created = await json<ApiRecord>(
        await emulator.api(`/v0/${B}/Deals`, send('POST', { fields: { 'Deal Name': 'On disk already' } })),
      );
      const token = await json<{ token: string }>(await emulator.admin('/tokens', { body: { scopes: [] } }));
      const stored = await readFile(join(dataDir, STATE_FILE), 'utf8');
      expect(stored).toContain(created.id);
      expect(stored).toContain(token.token);
    } finally {
      await emulator.close();
    }
  });

  it('a corrupt state file stops the start loudly instead of starting empty', async () => {
    await writeFile(join(dataDir, STATE_FILE), '{"version":1,"fixture":', { mode: 0o600 });
    await expect(startDev()).rejects.toThrow();
  });
});
