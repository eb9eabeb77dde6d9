import type { AccessTokens } from '../auth/access-tokens.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { newId, randomToken, sha256Hex } from '../crypto/opaque-token.ts';
import { hashPassword, verifyPassword } from '../crypto/password.ts';
import { checkPassword } from '../crypto/password-policy.ts';
import type { Database, Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { AuditLog } from './audit-log.ts';
import type { CredentialCache } from './credential-cache.ts';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const REFRESH_PREFIX = 'asr_';

export interface User {
  id: string;
  email: string;
  name?: string;
  createdAt: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

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

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  ...(row.name ? { name: row.name } : {}),
  createdAt: new Date(row.created_at).toISOString(),
});

/** Verified against when the email is unknown, so a miss costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export function createAccounts(deps: AccountsDeps): Accounts {
  const { db, audit, accessTokens, throttle, sessions } = deps;
  const now = deps.now ?? (() => new Date());
  const invalidCredentials = () =>
    new PlatformError('AUTH_INVALID_CREDENTIALS', 'email or password is wrong');

  async function issueRefreshToken(
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

  async function pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const access = await accessTokens.issue({ userId, sessionId });
    return {
      access_token: access.token,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
    };
  }

  async function revokeSession(sessionId: string, reason: string, tx: Queryable = db): Promise<void> {
    await tx.query(
      'UPDATE sessions SET revoked_at = COALESCE(revoked_at, now()), revoked_reason = COALESCE(revoked_reason, $2) WHERE id = $1',
      [sessionId, reason],
    );
  }

  return {
    async register(input, requestId) {
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
          throw new PlatformError(
            'EMAIL_TAKEN',
            'an account with this email already exists; sign in instead',
          );
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
    },

    async login(input, requestId) {
      await throttle.check({ email: input.email, ip: input.ip });
      const [row] = await db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [
        input.email,
      ]);
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
        throw invalidCredentials();
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
        return issueRefreshToken(tx, sessionId, null);
      });
      return pair(row.id, sessionId, refreshToken);
    },

    async refresh(refreshToken, requestId) {
      const hash = sha256Hex(refreshToken);
      const outcome = await db.transaction(async (tx) => {
        const [spent] = await tx.query<{ id: string; session_id: string; user_id: string }>(
          `UPDATE refresh_tokens t SET used_at = now()
             FROM sessions s
            WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2
              AND s.id = t.session_id AND s.revoked_at IS NULL
          RETURNING t.id, t.session_id, s.user_id`,
          [hash, now()],
        );
        if (spent) {
          await tx.query('UPDATE sessions SET last_used_at = now() WHERE id = $1', [spent.session_id]);
          const next = await issueRefreshToken(tx, spent.session_id, spent.id);
          return { kind: 'rotated' as const, userId: spent.user_id, sessionId: spent.session_id, next };
        }
        const [known] = await tx.query<{ session_id: string; used_at: Date | null; user_id: string }>(
          `SELECT t.session_id, t.used_at, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.token_hash = $1`,
          [hash],
        );
        if (known?.used_at) {
          // A spent token came back: someone holds a stolen copy. End the whole session.
          await revokeSession(known.session_id, 'refresh_token_reuse', tx);
          await audit.record(
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
          return { kind: 'reused' as const, sessionId: known.session_id };
        }
        return { kind: 'invalid' as const };
      });
      if (outcome.kind === 'reused') {
        await sessions.invalidate(outcome.sessionId);
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
      return pair(outcome.userId, outcome.sessionId, outcome.next);
    },

    async logout(principal, requestId) {
      if (principal.kind !== 'user') {
        throw new PlatformError(
          'AUTH_USER_TOKEN_REQUIRED',
          'logout ends a signed-in session; API keys are revoked instead',
        );
      }
      await db.transaction(async (tx) => {
        await revokeSession(principal.sessionId, 'logout', tx);
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
    },

    async changePassword(principal, input, requestId) {
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
    },

    async authenticate(accessToken) {
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
    },

    async getUser(userId) {
      const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [userId]);
      if (!row) throw new PlatformError('USER_NOT_FOUND', 'no such user');
      return toUser(row);
    },
  };
}
