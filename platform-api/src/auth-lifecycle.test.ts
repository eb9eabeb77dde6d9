import { describe, expect, it } from 'vitest';
import { PASSWORD, usePlatformRig } from './testing/platform-rig.ts';

const rig = usePlatformRig();

describe('the sign-in life cycle', () => {
  it('registers, signs in, answers /me, refreshes and signs out', async () => {
    const email = 'life@example.com';
    const registered = await rig.call('POST', '/v1/auth/register', {
      body: { email, password: PASSWORD, name: 'Life' },
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.json()).toMatchObject({ email, name: 'Life' });
    expect(registered.body).not.toContain('password');

    const login = await rig.call('POST', '/v1/auth/login', {
      body: { email: 'LIFE@example.com', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const tokens = login.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });

    const me = await rig.call('GET', '/v1/me', { auth: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'user', user: { email } });

    const refreshed = await rig.call('POST', '/v1/auth/refresh', {
      body: { refresh_token: tokens.refresh_token },
    });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);

    const logout = await rig.call('POST', '/v1/auth/logout', {
      auth: { authorization: `Bearer ${next.access_token}` },
    });
    expect(logout.statusCode).toBe(204);
    const after = await rig.call('GET', '/v1/me', { auth: { authorization: `Bearer ${next.access_token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_INVALID_TOKEN');
    const refreshAfter = await rig.call('POST', '/v1/auth/refresh', {
      body: { refresh_token: next.refresh_token },
    });
    expect(refreshAfter.statusCode).toBe(401);
    expect(refreshAfter.json().code).toBe('AUTH_REFRESH_TOKEN_INVALID');
  });

  it('refuses a second account with the same email in any case', async () => {
    await rig.call('POST', '/v1/auth/register', { body: { email: 'twice@example.com', password: PASSWORD } });
    const again = await rig.call('POST', '/v1/auth/register', {
      body: { email: 'Twice@Example.com', password: PASSWORD },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('EMAIL_TAKEN');
  });

  it.each([
    ['short', 'PASSWORD_TOO_WEAK'],
    ['password123', 'PASSWORD_TOO_WEAK'],
  ])('refuses the weak password %j', async (password, code) => {
    const response = await rig.call('POST', '/v1/auth/register', {
      body: { email: `weak-${password}@example.com`, password },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
  });

  it('says the same thing for an unknown email and a wrong password', async () => {
    const user = await rig.user('same');
    const wrong = await rig.call('POST', '/v1/auth/login', {
      body: { email: user.email, password: 'not the password at all' },
    });
    const unknown = await rig.call('POST', '/v1/auth/login', {
      body: { email: 'nobody@example.com', password: PASSWORD },
    });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('ends the whole session when a spent refresh token comes back', async () => {
    const user = await rig.user('reuse');
    const first = await rig.call('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } });
    expect(first.statusCode).toBe(200);
    const stolen = await rig.call('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } });
    expect(stolen.statusCode).toBe(401);
    expect(stolen.json().code).toBe('AUTH_REFRESH_TOKEN_REUSED');
    // The legitimate holder's newer tokens die with the family.
    const legit = await rig.call('POST', '/v1/auth/refresh', {
      body: { refresh_token: first.json().refresh_token },
    });
    expect(legit.json().code).toBe('AUTH_REFRESH_TOKEN_INVALID');
    const me = await rig.call('GET', '/v1/me', {
      auth: { authorization: `Bearer ${first.json().access_token}` },
    });
    expect(me.json().code).toBe('AUTH_INVALID_TOKEN');
    const [row] = await rig
      .db()
      .query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'session.refresh_token_reuse' AND actor_id = $1",
        [user.id],
      );
    expect(row?.n).toBe(1);
  });

  it('throttles repeated failures for one account', async () => {
    const user = await rig.user('throttle');
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await rig.call('POST', '/v1/auth/login', {
        body: { email: user.email, password: `wrong-password-${i}` },
      });
      codes.push(response.json().code);
    }
    expect(codes.slice(0, 5).every((c) => c === 'AUTH_INVALID_CREDENTIALS')).toBe(true);
    expect(codes).toContain('AUTH_THROTTLED');
    const locked = await rig.call('POST', '/v1/auth/login', {
      body: { email: user.email, password: PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
  });

  it('asks for credentials on protected routes', async () => {
    const none = await rig.call('GET', '/v1/me');
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('AUTH_REQUIRED');
    expect(none.headers['content-type']).toContain('application/problem+json');
  });

  it('publishes its signing keys', async () => {
    const jwks = await rig.call('GET', '/.well-known/jwks.json');
    expect(jwks.statusCode).toBe(200);
    const [key] = jwks.json().keys;
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key.d).toBeUndefined();
  });
});
