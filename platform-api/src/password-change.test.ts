import { describe, expect, it } from 'vitest';
import { PASSWORD, type RigUser, usePlatformRig } from './testing/platform-rig.ts';

const rig = usePlatformRig();
const NEW_PASSWORD = 'a brand new passphrase 42';

const change = (auth: { authorization: string } | undefined, body: unknown) =>
  rig.call('POST', '/v1/me/password', { ...(auth ? { auth } : {}), body });

async function signIn(user: RigUser, password = PASSWORD) {
  const login = await rig.call('POST', '/v1/auth/login', { body: { email: user.email, password } });
  return { status: login.statusCode, body: login.json() as { access_token: string; refresh_token: string } };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('POST /v1/me/password', () => {
  it('replaces the password and signs out every other session, keeping this one', async () => {
    const user = await rig.user('changer');
    const laptop = await signIn(user); // a second session, e.g. someone who knew the old password

    const changed = await change(user.auth, { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ sessions_ended: 1 });

    expect((await rig.call('GET', '/v1/me', { auth: user.auth })).statusCode).toBe(200);
    const other = await rig.call('GET', '/v1/me', { auth: bearer(laptop.body.access_token) });
    expect(other.statusCode).toBe(401);
    expect(other.json().code).toBe('AUTH_INVALID_TOKEN');
    const refreshed = await rig.call('POST', '/v1/auth/refresh', {
      body: { refresh_token: laptop.body.refresh_token },
    });
    expect(refreshed.statusCode).toBe(401);

    expect((await signIn(user)).status).toBe(401);
    expect((await signIn(user, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses a wrong current password with 403 PASSWORD_INCORRECT, audited, and throttles guessing', async () => {
    const user = await rig.user('guessed');
    const hashOf = async () =>
      (
        await rig
          .db()
          .query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id])
      )[0]?.password_hash;
    const before = await hashOf();
    const codes: string[] = [];
    for (let i = 0; i < 10 && !codes.includes('AUTH_THROTTLED'); i++) {
      const response = await change(user.auth, {
        current_password: `guess number ${i}`,
        new_password: NEW_PASSWORD,
      });
      codes.push(response.json().code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('PASSWORD_INCORRECT'));
    expect(codes).toContain('AUTH_THROTTLED');
    const rows = await rig
      .db()
      .query<{ outcome: string; error_code: string; details: unknown }>(
        "SELECT outcome, error_code, details FROM audit_events WHERE action = 'user.password_change' AND actor_id = $1",
        [user.id],
      );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((row) => row.outcome === 'failure' && row.error_code === 'PASSWORD_INCORRECT')).toBe(
      true,
    );
    expect(JSON.stringify(rows)).not.toContain('guess number');
    expect(await hashOf()).toBe(before);
  });

  it.each([
    [
      'the same password again',
      { current_password: PASSWORD, new_password: PASSWORD },
      400,
      'PASSWORD_UNCHANGED',
    ],
    [
      'a common password',
      { current_password: PASSWORD, new_password: 'password123' },
      400,
      'PASSWORD_TOO_WEAK',
    ],
    ['a short password', { current_password: PASSWORD, new_password: 'short' }, 400, 'PASSWORD_TOO_WEAK'],
    ['no new password', { current_password: PASSWORD }, 400, 'VALIDATION_FAILED'],
    [
      'a number for a password',
      { current_password: PASSWORD, new_password: 12345678 },
      400,
      'VALIDATION_FAILED',
    ],
  ])('refuses %s (%i %s) and keeps the old password', async (_label, body, status, code) => {
    const user = await rig.user('refused');
    const response = await change(user.auth, body);
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
    expect((await signIn(user)).status).toBe(200);
  });

  it('names the offending field when the body is incomplete', async () => {
    const user = await rig.user('fields');
    const response = await change(user.auth, { new_password: NEW_PASSWORD });
    expect(response.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'current_password' })]),
    );
  });

  it('is for signed-in users: an API key gets 403 AUTH_USER_TOKEN_REQUIRED, no bearer 401', async () => {
    const owner = await rig.user('keyholder');
    const workspace = await rig.workspace(owner);
    const key = await rig.apiKey(owner, workspace, 'admin');
    const byKey = await change(key.auth, { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json().code).toBe('AUTH_USER_TOKEN_REQUIRED');
    const anonymous = await change(undefined, { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('AUTH_REQUIRED');
  });

  it('leaves one success row in the audit trail, without the passwords', async () => {
    const user = await rig.user('audited');
    await signIn(user);
    await signIn(user);
    expect(
      (await change(user.auth, { current_password: PASSWORD, new_password: NEW_PASSWORD })).json(),
    ).toEqual({
      sessions_ended: 2,
    });
    const rows = await rig
      .db()
      .query<Record<string, unknown>>(
        "SELECT * FROM audit_events WHERE action = 'user.password_change' AND actor_id = $1 AND outcome = 'success'",
        [user.id],
      );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toEqual({ sessions_ended: 2 });
    expect(JSON.stringify(rows)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});
