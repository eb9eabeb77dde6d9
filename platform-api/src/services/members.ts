import { ROLE_RANK, type WorkspaceRole } from '@airsuite/tools';
import type { Database, Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import { changeEvent, keysRevokedEvents } from '../webhooks/change-event.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import type { AccessCache } from './access-cache.ts';
import type { AuditLog } from './audit-log.ts';
import type { CredentialCache } from './credential-cache.ts';
import { requireRole } from './workspaces.ts';

export interface Member {
  userId: string;
  email: string;
  name?: string;
  role: WorkspaceRole;
  joinedAt: string;
}

interface MemberRow {
  user_id: string;
  email: string;
  name: string | null;
  role: WorkspaceRole;
  created_at: Date | string;
}

const toMember = (row: MemberRow): Member => ({
  userId: row.user_id,
  email: row.email,
  ...(row.name ? { name: row.name } : {}),
  role: row.role,
  joinedAt: new Date(row.created_at).toISOString(),
});

const SELECT_MEMBER = `SELECT m.user_id, u.email, u.name, m.role, m.created_at
  FROM memberships m JOIN users u ON u.id = m.user_id`;

const memberNotFound = () =>
  new PlatformError('MEMBER_NOT_FOUND', 'no member with this user id in this workspace');

export interface Members {
  list(access: WorkspaceAccess): Promise<Member[]>;
  add(
    access: WorkspaceAccess,
    input: { email: string; role: WorkspaceRole },
    requestId?: string,
  ): Promise<Member>;
  changeRole(
    access: WorkspaceAccess,
    userId: string,
    role: WorkspaceRole,
    requestId?: string,
  ): Promise<Member>;
  remove(access: WorkspaceAccess, userId: string, requestId?: string): Promise<void>;
}

/**
 * A member's API keys cannot outrank them: the ones they made above `role` are revoked
 * (all of them when they leave, `role` undefined), or a removed admin would keep the
 * workspace through a key whose secret they still hold.
 */
async function revokeKeysAbove(
  tx: Queryable,
  workspaceId: string,
  userId: string,
  role: WorkspaceRole | undefined,
): Promise<{ id: string; name: string }[]> {
  const above = (Object.keys(ROLE_RANK) as WorkspaceRole[]).filter(
    (candidate) => role === undefined || ROLE_RANK[candidate] > ROLE_RANK[role],
  );
  return tx.query<{ id: string; name: string }>(
    `UPDATE api_keys SET revoked_at = now()
      WHERE workspace_id = $1 AND created_by = $2 AND revoked_at IS NULL AND role = ANY($3::text[])
      RETURNING id, name`,
    [workspaceId, userId, above],
  );
}

async function find(tx: Queryable, workspaceId: string, userId: string, lock = false): Promise<MemberRow> {
  const [row] = await tx.query<MemberRow>(
    `${SELECT_MEMBER} WHERE m.workspace_id = $1 AND m.user_id = $2${lock ? ' FOR UPDATE OF m' : ''}`,
    [workspaceId, userId],
  );
  if (!row) throw memberNotFound();
  return row;
}

/** Locks the owner rows so two concurrent demotions cannot both pass the last-owner check. */
async function ensureAnotherOwner(tx: Queryable, workspaceId: string, userId: string): Promise<void> {
  const owners = await tx.query<{ user_id: string }>(
    "SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'owner' FOR UPDATE",
    [workspaceId],
  );
  if (!owners.some((o) => o.user_id !== userId)) {
    throw new PlatformError(
      'LAST_OWNER',
      'a workspace needs at least one owner: make someone else owner first, or delete the workspace',
    );
  }
}

const isSelf = (access: WorkspaceAccess, userId: string) =>
  access.principal.kind === 'user' && access.principal.userId === userId;

/** What the membership operations share. */
interface MembersContext {
  db: Database;
  audit: AuditLog;
  cache: AccessCache;
  keys: Pick<CredentialCache<unknown>, 'invalidate'>;
  outbox: Outbox;
}

async function list({ db }: MembersContext, access: WorkspaceAccess): Promise<Member[]> {
  const rows = await db.query<MemberRow>(
    `${SELECT_MEMBER} WHERE m.workspace_id = $1 ORDER BY m.created_at, u.email`,
    [access.workspaceId],
  );
  return rows.map(toMember);
}

async function add(
  { db, audit, outbox }: MembersContext,
  access: WorkspaceAccess,
  input: { email: string; role: WorkspaceRole },
  requestId?: string,
): Promise<Member> {
  requireRole(access, 'admin', 'adding members');
  if (input.role === 'owner') requireRole(access, 'owner', 'making someone an owner');
  return db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [
      input.email,
    ]);
    if (!user) {
      throw new PlatformError(
        'USER_NOT_FOUND',
        'no AirSuite account uses this email; ask them to register first, then add them',
      );
    }
    const inserted = await tx.query(
      `INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, user_id) DO NOTHING RETURNING user_id`,
      [access.workspaceId, user.id, input.role],
    );
    if (inserted.length === 0) {
      throw new PlatformError('MEMBER_EXISTS', 'this user is already a member; change their role instead');
    }
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'member.add',
        target: { type: 'user', id: user.id },
        outcome: 'success',
        requestId,
        details: { role: input.role },
      },
      tx,
    );
    const member = toMember(await find(tx, access.workspaceId, user.id));
    await outbox.emit(tx, [
      changeEvent(access, requestId, 'member.added', {
        user_id: member.userId,
        email: member.email,
        role: member.role,
      }),
    ]);
    return member;
  });
}

async function changeRole(
  { db, audit, cache, keys, outbox }: MembersContext,
  access: WorkspaceAccess,
  userId: string,
  role: WorkspaceRole,
  requestId?: string,
): Promise<Member> {
  requireRole(access, 'admin', 'changing member roles');
  const changed = await db.transaction(async (tx) => {
    const current = await find(tx, access.workspaceId, userId, true);
    if (current.role === 'owner' || role === 'owner') requireRole(access, 'owner', 'changing the owner role');
    if (current.role === 'owner' && role !== 'owner')
      await ensureAnotherOwner(tx, access.workspaceId, userId);
    await tx.query('UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2', [
      access.workspaceId,
      userId,
      role,
    ]);
    const revoked = await revokeKeysAbove(tx, access.workspaceId, userId, role);
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'member.update',
        target: { type: 'user', id: userId },
        outcome: 'success',
        requestId,
        details: { role, previous_role: current.role, api_keys_revoked: revoked.length },
      },
      tx,
    );
    // Setting the role a member already has changes nothing a receiver needs to hear about.
    await outbox.emit(tx, [
      ...(role === current.role
        ? []
        : [
            changeEvent(access, requestId, 'member.role_changed', {
              user_id: userId,
              role,
              previous_role: current.role,
              api_keys_revoked: revoked.length,
            }),
          ]),
      ...keysRevokedEvents(access, requestId, revoked),
    ]);
    return { member: toMember({ ...current, role }), revoked };
  });
  await cache.invalidate(access.workspaceId);
  await Promise.all(changed.revoked.map((key) => keys.invalidate(key.id)));
  return changed.member;
}

async function remove(
  { db, audit, cache, keys, outbox }: MembersContext,
  access: WorkspaceAccess,
  userId: string,
  requestId?: string,
): Promise<void> {
  const leaving = isSelf(access, userId);
  if (!leaving) requireRole(access, 'admin', 'removing members');
  const revoked = await db.transaction(async (tx) => {
    const current = await find(tx, access.workspaceId, userId, true);
    if (current.role === 'owner') {
      if (!leaving) requireRole(access, 'owner', 'removing an owner');
      await ensureAnotherOwner(tx, access.workspaceId, userId);
    }
    await tx.query('DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2', [
      access.workspaceId,
      userId,
    ]);
    const revokedKeys = await revokeKeysAbove(tx, access.workspaceId, userId, undefined);
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: leaving ? 'member.leave' : 'member.remove',
        target: { type: 'user', id: userId },
        outcome: 'success',
        requestId,
        details: { role: current.role, api_keys_revoked: revokedKeys.length },
      },
      tx,
    );
    // Leaving and being removed are one event type; the actor says which it was.
    await outbox.emit(tx, [
      changeEvent(access, requestId, 'member.removed', {
        user_id: userId,
        email: current.email,
        role: current.role,
      }),
      ...keysRevokedEvents(access, requestId, revokedKeys),
    ]);
    return revokedKeys;
  });
  await cache.invalidate(access.workspaceId);
  await Promise.all(revoked.map((key) => keys.invalidate(key.id)));
}

/**
 * Membership rules: admins manage editors, viewers and other admins; only owners grant,
 * change or remove the owner role; anyone may leave; a workspace always keeps an owner.
 */
export function createMembers(
  db: Database,
  audit: AuditLog,
  cache: AccessCache,
  /** The API-key cache: keys revoked here must stop at once, in every process. */
  keys: Pick<CredentialCache<unknown>, 'invalidate'>,
  /** Where `member.*` events are written, in the change's own transaction. */
  outbox: Outbox,
): Members {
  const ctx: MembersContext = { db, audit, cache, keys, outbox };
  return {
    list: (access) => list(ctx, access),
    add: (access, input, requestId) => add(ctx, access, input, requestId),
    changeRole: (access, userId, role, requestId) => changeRole(ctx, access, userId, role, requestId),
    remove: (access, userId, requestId) => remove(ctx, access, userId, requestId),
  };
}
