import { newId, randomToken, sha256Hex } from '../crypto/opaque-token.ts';
import { hashPassword, verifyPassword } from '../crypto/password.ts';
import type { Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { AccountsContext, TokenPair, UserRow } from './account-context.ts';

// Signed-in sessions: opened by a sign-in, carried on by refresh-token rotation, ended by a
// sign-out (or by a spent refresh token coming back), checked behind every access token.

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const REFRESH_PREFIX = 'asr_';

/** Verified against when the email is unknown, so a miss costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

async function issueRefreshToken(
  { now }: AccountsContext,
  tx: Queryable,
  sessionId: string,
  parentId: string | null,
): Promise<string> {
  const token = `${REFRESH_PREFIX}${randomToken(32)}`;
  await tx.query(
    'INSERT INTO refresh_tokens (id, session_id, parent_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [newId('rtk'), sessionId, parentId, sha256Hex(token), new Date(now().getTime() + REFRESH_TOKEN_TTL_MS)],
  );
  return token;
}

async function pair(
  { accessTokens }: AccountsContext,
  userId: string,
  sessionId: string,
  refreshToken: string,
): Promise<TokenPair> {
  const access = await accessTokens.issue({ userId, sessionId });
  return {
    access_token: access.token,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
  };
}

async function revokeSession(tx: Queryable, sessionId: string, reason: string): Promise<void> {
  await tx.query(
    'UPDATE sessions SET revoked_at = COALESCE(revoked_at, now()), revoked_reason = COALESCE(revoked_reason, $2) WHERE id = $1',
    [sessionId, reason],
  );
}

export async function login(
  ctx: AccountsContext,
  input: { email: string; password: string; ip: string },
  requestId?: string,
): Promise<TokenPair> {
  const { db, audit, throttle } = ctx;
  await throttle.check({ email: input.email, ip: input.ip });
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [input.email]);
  decoyHash ??= hashPassword(randomToken(16));
  let ok = false;
  if (row) ok = await verifyPassword(row.password_hash, input.password);
  else await verifyPassword(await decoyHash, input.password);
  if (!row || !ok || row.disabled_at !== null) {
    await throttle.recordFailure({ email: input.email, ip: input.ip });
    await audit.record({
      actor: { type: 'user', id: row?.id ?? 'unknown', label: input.email },
      action: 'user.login',
      outcome: 'failure',
      errorCode: 'AUTH_INVALID_CREDENTIALS',
      requestId,
      details: { ip: input.ip },
    });
    throw new PlatformError('AUTH_INVALID_CREDENTIALS', 'email or password is wrong');
  }
  await throttle.recordSuccess({ email: input.email, ip: input.ip });
  const sessionId = newId('ses');
  const refreshToken = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO sessions (id, user_id) VALUES ($1, $2)', [sessionId, row.id]);
    await audit.record(
      {
        actor: { type: 'user', id: row.id, label: row.email },
        action: 'user.login',
        target: { type: 'session', id: sessionId },
        outcome: 'success',
        requestId,
        details: { ip: input.ip },
      },
      tx,
    );
    return issueRefreshToken(ctx, tx, sessionId, null);
  });
  return pair(ctx, row.id, sessionId, refreshToken);
}

type Rotation =
  | { kind: 'rotated'; userId: string; sessionId: string; next: string }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'invalid' };

/** Spends `hash`'s refresh token for the next one, or tells why it cannot be spent. */
async function rotate(
  ctx: AccountsContext,
  tx: Queryable,
  hash: string,
  requestId?: string,
): Promise<Rotation> {
  const [spent] = await tx.query<{ id: string; session_id: string; user_id: string }>(
    `UPDATE refresh_tokens t SET used_at = now()
       FROM sessions s
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2
        AND s.id = t.session_id AND s.revoked_at IS NULL
    RETURNING t.id, t.session_id, s.user_id`,
    [hash, ctx.now()],
  );
  if (spent) {
    await tx.query('UPDATE sessions SET last_used_at = now() WHERE id = $1', [spent.session_id]);
    const next = await issueRefreshToken(ctx, tx, spent.session_id, spent.id);
    return { kind: 'rotated', userId: spent.user_id, sessionId: spent.session_id, next };
  }
  const [known] = await tx.query<{ session_id: string; used_at: Date | null; user_id: string }>(
    `SELECT t.session_id, t.used_at, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
      WHERE t.token_hash = $1`,
    [hash],
  );
  if (!known?.used_at) return { kind: 'invalid' };
  // A spent token came back: someone holds a stolen copy. End the whole session.
  await revokeSession(tx, known.session_id, 'refresh_token_reuse');
  await ctx.audit.record(
    {
      actor: { type: 'user', id: known.user_id },
      action: 'session.refresh_token_reuse',
      target: { type: 'session', id: known.session_id },
      outcome: 'denied',
      errorCode: 'AUTH_REFRESH_TOKEN_REUSED',
      requestId,
    },
    tx,
  );
  return { kind: 'reused', sessionId: known.session_id };
}

export async function refresh(
  ctx: AccountsContext,
  refreshToken: string,
  requestId?: string,
): Promise<TokenPair> {
  const hash = sha256Hex(refreshToken);
  const outcome = await ctx.db.transaction((tx) => rotate(ctx, tx, hash, requestId));
  if (outcome.kind === 'reused') {
    await ctx.sessions.invalidate(outcome.sessionId);
    throw new PlatformError(
      'AUTH_REFRESH_TOKEN_REUSED',
      'this refresh token was already used, so the session was ended for safety; sign in again',
    );
  }
  if (outcome.kind === 'invalid') {
    throw new PlatformError(
      'AUTH_REFRESH_TOKEN_INVALID',
      'the refresh token is unknown, expired or revoked; sign in again',
    );
  }
  return pair(ctx, outcome.userId, outcome.sessionId, outcome.next);
}

export async function logout(
  { db, audit, sessions }: AccountsContext,
  principal: Principal,
  requestId?: string,
): Promise<void> {
  if (principal.kind !== 'user') {
    throw new PlatformError(
      'AUTH_USER_TOKEN_REQUIRED',
      'logout ends a signed-in session; API keys are revoked instead',
    );
  }
  await db.transaction(async (tx) => {
    await revokeSession(tx, principal.sessionId, 'logout');
    await audit.record(
      {
        actor: { type: 'user', id: principal.userId, label: principal.email },
        action: 'user.logout',
        target: { type: 'session', id: principal.sessionId },
        outcome: 'success',
        requestId,
      },
      tx,
    );
  });
  await sessions.invalidate(principal.sessionId);
}

export async function authenticate(
  { db, accessTokens, sessions }: AccountsContext,
  accessToken: string,
): Promise<Extract<Principal, { kind: 'user' }>> {
  const claims = await accessTokens.verify(accessToken);
  const cached = sessions.get(claims.sessionId);
  if (cached && cached.userId === claims.userId) return cached;
  const generation = sessions.generation();
  const [row] = await db.query<{
    email: string;
    name: string | null;
    revoked_at: Date | null;
    disabled_at: Date | null;
  }>(
    `SELECT u.email, u.name, s.revoked_at, u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.user_id = $2`,
    [claims.sessionId, claims.userId],
  );
  if (!row || row.revoked_at !== null || row.disabled_at !== null) {
    throw new PlatformError('AUTH_INVALID_TOKEN', 'this session has ended; sign in again');
  }
  const principal = {
    kind: 'user' as const,
    userId: claims.userId,
    email: row.email,
    ...(row.name ? { name: row.name } : {}),
    sessionId: claims.sessionId,
  };
  sessions.set(claims.sessionId, principal, generation);
  return principal;
}
