import type { AccessTokens } from '../auth/access-tokens.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { newId } from '../crypto/opaque-token.ts';
import { hashPassword, verifyPassword } from '../crypto/password.ts';
import { checkPassword } from '../crypto/password-policy.ts';
import type { Database } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { type AccountsContext, type TokenPair, toUser, type User, type UserRow } from './account-context.ts';
import { authenticate, login, logout, refresh } from './account-sessions.ts';
import type { AuditLog } from './audit-log.ts';
import type { CredentialCache } from './credential-cache.ts';

export type { TokenPair, User } from './account-context.ts';
export { REFRESH_TOKEN_TTL_MS } from './account-sessions.ts';

export interface Accounts {
  register(input: { email: string; password: string; name?: string }, requestId?: string): Promise<User>;
  login(input: { email: string; password: string; ip: string }, requestId?: string): Promise<TokenPair>;
  /** Rotates: the old refresh token is spent; presenting it again revokes the whole session. */
  refresh(refreshToken: string, requestId?: string): Promise<TokenPair>;
  logout(principal: Principal, requestId?: string): Promise<void>;
  /**
   * Replaces the signed-in user's password after checking the current one (throttled like a
   * sign-in). Every other session of the user ends; this one goes on.
   */
  changePassword(
    principal: Principal,
    input: { currentPassword: string; newPassword: string; ip: string },
    requestId?: string,
  ): Promise<{ sessionsEnded: number }>;
  /** The user an access token speaks for, if its session is still open. */
  authenticate(accessToken: string): Promise<Extract<Principal, { kind: 'user' }>>;
  getUser(userId: string): Promise<User>;
}

export interface AccountsDeps {
  db: Database;
  audit: AuditLog;
  accessTokens: AccessTokens;
  throttle: LoginThrottle;
  sessions: CredentialCache<Extract<Principal, { kind: 'user' }>>;
  now?: () => Date;
}

/** Accounts: the users themselves here, their signed-in sessions in account-sessions.ts. */
export function createAccounts(deps: AccountsDeps): Accounts {
  const ctx: AccountsContext = { ...deps, now: deps.now ?? (() => new Date()) };
  return {
    register: (input, requestId) => register(ctx, input, requestId),
    login: (input, requestId) => login(ctx, input, requestId),
    refresh: (refreshToken, requestId) => refresh(ctx, refreshToken, requestId),
    logout: (principal, requestId) => logout(ctx, principal, requestId),
    changePassword: (principal, input, requestId) => changePassword(ctx, principal, input, requestId),
    authenticate: (accessToken) => authenticate(ctx, accessToken),
    getUser: (userId) => getUser(ctx, userId),
  };
}

async function register(
  { db, audit }: AccountsContext,
  input: Parameters<Accounts['register']>[0],
  requestId?: string,
): Promise<User> {
  checkPassword(input.password, { email: input.email, name: input.name });
  const passwordHash = await hashPassword(input.password);
  const id = newId('usr');
  const user = await db.transaction(async (tx) => {
    const rows = await tx.query<UserRow>(
      `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING *`,
      [id, input.email, input.name ?? null, passwordHash],
    );
    const [row] = rows;
    if (!row)
      throw new PlatformError('EMAIL_TAKEN', 'an account with this email already exists; sign in instead');
    await audit.record(
      {
        actor: { type: 'user', id, label: input.email },
        action: 'user.register',
        target: { type: 'user', id },
        outcome: 'success',
        requestId,
      },
      tx,
    );
    return toUser(row);
  });
  return user;
}

async function changePassword(
  { db, audit, throttle, sessions }: AccountsContext,
  principal: Principal,
  input: Parameters<Accounts['changePassword']>[1],
  requestId?: string,
): Promise<{ sessionsEnded: number }> {
  if (principal.kind !== 'user') {
    throw new PlatformError(
      'AUTH_USER_TOKEN_REQUIRED',
      'a password belongs to a signed-in user; API keys cannot change it',
    );
  }
  const attempt = { email: principal.email, ip: input.ip };
  await throttle.check(attempt);
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [principal.userId]);
  if (!row) throw new PlatformError('AUTH_INVALID_TOKEN', 'this session has ended; sign in again');
  const actor = { type: 'user' as const, id: row.id, label: row.email };
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    await throttle.recordFailure(attempt);
    await audit.record({
      actor,
      action: 'user.password_change',
      target: { type: 'user', id: row.id },
      outcome: 'failure',
      errorCode: 'PASSWORD_INCORRECT',
      requestId,
      details: { ip: input.ip },
    });
    throw new PlatformError('PASSWORD_INCORRECT', 'the current password is wrong');
  }
  if (input.newPassword === input.currentPassword) {
    throw new PlatformError('PASSWORD_UNCHANGED', 'the new password must differ from the current one');
  }
  checkPassword(input.newPassword, { email: row.email, name: row.name ?? undefined });
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [row.id, passwordHash]);
    // Whoever else knew the old password (a stolen session) is signed out with it.
    const sessionsEnded = await tx.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_changed'
        WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id`,
      [row.id, principal.sessionId],
    );
    await audit.record(
      {
        actor,
        action: 'user.password_change',
        target: { type: 'user', id: row.id },
        outcome: 'success',
        requestId,
        details: { sessions_ended: sessionsEnded.length },
      },
      tx,
    );
    return sessionsEnded.map((session) => session.id);
  });
  await Promise.all(ended.map((sessionId) => sessions.invalidate(sessionId)));
  await throttle.recordSuccess(attempt);
  return { sessionsEnded: ended.length };
}

async function getUser({ db }: AccountsContext, userId: string): Promise<User> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [userId]);
  if (!row) throw new PlatformError('USER_NOT_FOUND', 'no such user');
  return toUser(row);
}
