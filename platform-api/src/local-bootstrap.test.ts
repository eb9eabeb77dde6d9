import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANGED_PASSWORD, ensureLocalBootstrap } from './local-bootstrap.ts';
import { usePlatformRig } from './testing/platform-rig.ts';

const rig = usePlatformRig();
const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-bootstrap-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ownerId = async () => {
  const [row] = await rig
    .db()
    .query<{ id: string }>("SELECT id FROM users WHERE email = 'owner@airsuite.local'");
  return row?.id ?? '';
};

describe('ensureLocalBootstrap', () => {
  it('creates the owner once, reuses it, and stops showing the password once it is changed', async () => {
    const options = { platform: rig.platform(), dataDir, airtableToken: rig.airtableToken() };
    const first = await ensureLocalBootstrap(options);
    // What is new in this start is what a banner may show in full, this once.
    expect(first).toMatchObject({ created: true, accountCreated: true, passwordWorks: true });
    const again = await ensureLocalBootstrap(options);
    expect(again).toMatchObject({
      created: false,
      accountCreated: false,
      passwordWorks: true,
      password: first.password,
      apiKey: first.apiKey,
    });

    const login = await rig.call('POST', '/v1/auth/login', {
      body: { email: first.email, password: first.password },
    });
    const changed = await rig.call('POST', '/v1/me/password', {
      auth: { authorization: `Bearer ${login.json().access_token}` },
      body: { current_password: first.password, new_password: 'my own passphrase now' },
    });
    expect(changed.statusCode).toBe(200);

    const later = await ensureLocalBootstrap(options);
    expect(later).toMatchObject({
      created: false,
      passwordWorks: false,
      password: CHANGED_PASSWORD,
      apiKey: first.apiKey,
    });
  });

  it('makes a new key when the stored one stopped working, and keeps the account (its password is not new)', async () => {
    const options = { platform: rig.platform(), dataDir, airtableToken: rig.airtableToken() };
    const before = await ensureLocalBootstrap(options);
    const principal = await rig.platform().apiKeys.authenticate(before.apiKey);
    if (principal.kind !== 'api_key') throw new Error('not an API key');
    // Someone revokes the key first-start.json holds.
    const owner = await rig
      .platform()
      .workspaces.access(
        { kind: 'user', userId: await ownerId(), email: before.email, sessionId: 'spec' },
        before.workspaceId,
      );
    await rig.platform().apiKeys.revoke(owner, principal.keyId);
    const after = await ensureLocalBootstrap(options);
    expect(after.apiKey).not.toBe(before.apiKey);
    expect(after).toMatchObject({ created: true, accountCreated: false, email: before.email });
  });
});
