import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANGED_PASSWORD, ensureLocalBootstrap } from './local-bootstrap.ts';
import { usePlatformRig } from './testing/platform-rig.ts';

const rig = usePlatformRig();
const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-bootstrap-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('ensureLocalBootstrap', () => {
  it('creates the owner once, reuses it, and stops showing the password once it is changed', async () => {
    const options = { platform: rig.platform(), dataDir, airtableToken: rig.airtableToken() };
    const first = await ensureLocalBootstrap(options);
    expect(first.created).toBe(true);
    const again = await ensureLocalBootstrap(options);
    expect(again).toMatchObject({ created: false, password: first.password, apiKey: first.apiKey });

    const login = await rig.call('POST', '/v1/auth/login', {
      body: { email: first.email, password: first.password },
    });
    const changed = await rig.call('POST', '/v1/me/password', {
      auth: { authorization: `Bearer ${login.json().access_token}` },
      body: { current_password: first.password, new_password: 'my own passphrase now' },
    });
    expect(changed.statusCode).toBe(200);

    const later = await ensureLocalBootstrap(options);
    expect(later).toMatchObject({ created: false, password: CHANGED_PASSWORD, apiKey: first.apiKey });
  });
});
