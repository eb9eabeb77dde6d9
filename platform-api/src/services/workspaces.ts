import { roleAtLeast, type WorkspaceRole } from '@airsuite/tools';
import { newId } from '../crypto/opaque-token.ts';
import type { Database } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type Principal, type WorkspaceAccess } from '../principal.ts';
import type { AccessCache } from './access-cache.ts';
import type { AuditLog } from './audit-log.ts';
import type { CredentialCache } from './credential-cache.ts';

export interface Workspace {
  id: string;
  name: string;
  role: WorkspaceRole;
  createdAt: string;
  updatedAt: string;
}

interface WorkspaceRow {
  id: string;
  name: string;
  role: WorkspaceRole;
  created_at: Date | string;
  updated_at: Date | string;
}

const toWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** The same answer whether the workspace does not exist or the caller is not in it. */
export const workspaceNotFound = () =>
  new PlatformError('WORKSPACE_NOT_FOUND', 'no workspace with this id is visible to you');

export function requireUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') {
    throw new PlatformError(
      'AUTH_USER_TOKEN_REQUIRED',
      'this needs a signed-in user (an access token); API keys act inside their own workspace only',
    );
  }
  return principal;
}

export function requireRole(access: WorkspaceAccess, minimum: WorkspaceRole, doing: string): void {
  if (!roleAtLeast(access.role, minimum)) {
    throw new PlatformError(
      'FORBIDDEN',
      `${doing} needs the ${minimum} role or higher; you are ${access.role}`,
      {
        required_role: minimum,
        role: access.role,
      },
    );
  }
}

export interface Workspaces {
  /**
   * The caller's standing in a workspace, or WORKSPACE_NOT_FOUND (never "forbidden": a
   * stranger must not learn that the workspace exists).
   */
  access(principal: Principal, workspaceId: string): Promise<WorkspaceAccess>;
  create(principal: Principal, name: string, requestId?: string): Promise<Workspace>;
  list(principal: Principal): Promise<Workspace[]>;
  get(access: WorkspaceAccess): Promise<Workspace>;
  rename(access: WorkspaceAccess, name: string, requestId?: string): Promise<Workspace>;
  remove(access: WorkspaceAccess, requestId?: string): Promise<void>;
}

interface AccessRow {
  name: string;
  role: WorkspaceRole;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The cache key of a principal: its user or key, never its session (a user's role is per user). */
const principalKey = (principal: Principal) =>
  principal.kind === 'user' ? `user:${principal.userId}` : `key:${principal.keyId}`;

/** What the workspace operations share. */
interface WorkspacesContext {
  db: Database;
  audit: AuditLog;
  cache: AccessCache;
  keys: Pick<CredentialCache<unknown>, 'invalidate'>;
}

async function readWorkspace(
  { db }: WorkspacesContext,
  workspaceId: string,
  role: WorkspaceRole,
): Promise<Workspace> {
  const [row] = await db.query<WorkspaceRow>(
    'SELECT id, name, $2::text AS role, created_at, updated_at FROM workspaces WHERE id = $1',
    [workspaceId, role],
  );
  if (!row) throw workspaceNotFound();
  return toWorkspace(row);
}

/** The workspace as `principal` may see it: an API key its own, a user those they belong to. */
async function accessRow(
  { db }: WorkspacesContext,
  principal: Principal,
  workspaceId: string,
): Promise<AccessRow | undefined> {
  if (principal.kind === 'api_key') {
    if (principal.workspaceId !== workspaceId) throw workspaceNotFound();
    const [row] = await db.query<AccessRow>(
      'SELECT name, $2::text AS role, created_at, updated_at FROM workspaces WHERE id = $1',
      [workspaceId, principal.role],
    );
    return row;
  }
  const [row] = await db.query<AccessRow>(
    `SELECT w.name, m.role, w.created_at, w.updated_at FROM workspaces w
       JOIN memberships m ON m.workspace_id = w.id AND m.user_id = $2
      WHERE w.id = $1`,
    [workspaceId, principal.userId],
  );
  return row;
}

async function access(
  ctx: WorkspacesContext,
  principal: Principal,
  workspaceId: string,
): Promise<WorkspaceAccess> {
  const { cache } = ctx;
  const key = principalKey(principal);
  const cached = cache.get(key, workspaceId);
  if (cached) return { ...cached, principal };
  const generation = cache.generation(workspaceId);
  const row = await accessRow(ctx, principal, workspaceId);
  if (!row) throw workspaceNotFound();
  const granted: WorkspaceAccess = {
    principal,
    workspaceId,
    workspaceName: row.name,
    role: row.role,
    workspaceCreatedAt: new Date(row.created_at).toISOString(),
    workspaceUpdatedAt: new Date(row.updated_at).toISOString(),
  };
  cache.set(key, granted, generation);
  return granted;
}

async function create(
  ctx: WorkspacesContext,
  principal: Principal,
  name: string,
  requestId?: string,
): Promise<Workspace> {
  const user = requireUser(principal);
  const id = newId('wsp');
  await ctx.db.transaction(async (tx) => {
    await tx.query('INSERT INTO workspaces (id, name, created_by) VALUES ($1, $2, $3)', [
      id,
      name,
      user.userId,
    ]);
    await tx.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')", [
      id,
      user.userId,
    ]);
    await ctx.audit.record(
      {
        workspaceId: id,
        actor: actorOf(user),
        action: 'workspace.create',
        target: { type: 'workspace', id },
        outcome: 'success',
        requestId,
        details: { name },
      },
      tx,
    );
  });
  return readWorkspace(ctx, id, 'owner');
}

async function list({ db }: WorkspacesContext, principal: Principal): Promise<Workspace[]> {
  if (principal.kind === 'api_key') {
    const rows = await db.query<WorkspaceRow>(
      'SELECT id, name, $2::text AS role, created_at, updated_at FROM workspaces WHERE id = $1',
      [principal.workspaceId, principal.role],
    );
    return rows.map(toWorkspace);
  }
  const rows = await db.query<WorkspaceRow>(
    `SELECT w.id, w.name, m.role, w.created_at, w.updated_at FROM workspaces w
       JOIN memberships m ON m.workspace_id = w.id
      WHERE m.user_id = $1 ORDER BY w.created_at, w.id`,
    [principal.userId],
  );
  return rows.map(toWorkspace);
}

async function rename(
  ctx: WorkspacesContext,
  access: WorkspaceAccess,
  name: string,
  requestId?: string,
): Promise<Workspace> {
  requireRole(access, 'admin', 'renaming a workspace');
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE workspaces SET name = $2, updated_at = now() WHERE id = $1', [
      access.workspaceId,
      name,
    ]);
    await ctx.audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'workspace.update',
        target: { type: 'workspace', id: access.workspaceId },
        outcome: 'success',
        requestId,
        details: { name, previous_name: access.workspaceName },
      },
      tx,
    );
  });
  await ctx.cache.invalidate(access.workspaceId);
  return readWorkspace(ctx, access.workspaceId, access.role);
}

async function remove(
  { db, audit, cache, keys }: WorkspacesContext,
  access: WorkspaceAccess,
  requestId?: string,
): Promise<void> {
  requireRole(access, 'owner', 'deleting a workspace');
  const keyIds = await db.transaction(async (tx) => {
    // Its API keys go with it (ON DELETE CASCADE); their ids are needed for the caches.
    const gone = await tx.query<{ id: string }>('DELETE FROM api_keys WHERE workspace_id = $1 RETURNING id', [
      access.workspaceId,
    ]);
    await tx.query('DELETE FROM workspaces WHERE id = $1', [access.workspaceId]);
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'workspace.delete',
        target: { type: 'workspace', id: access.workspaceId },
        outcome: 'success',
        requestId,
        details: { name: access.workspaceName },
      },
      tx,
    );
    return gone.map((row) => row.id);
  });
  await cache.invalidate(access.workspaceId);
  await Promise.all(keyIds.map((keyId) => keys.invalidate(keyId)));
}

export function createWorkspaces(
  db: Database,
  audit: AuditLog,
  cache: AccessCache,
  /** The API-key cache: a deleted workspace's keys must stop working at once, in every process. */
  keys: Pick<CredentialCache<unknown>, 'invalidate'>,
): Workspaces {
  const ctx: WorkspacesContext = { db, audit, cache, keys };
  return {
    access: (principal, workspaceId) => access(ctx, principal, workspaceId),
    create: (principal, name, requestId) => create(ctx, principal, name, requestId),
    list: (principal) => list(ctx, principal),
    async get(granted) {
      return {
        id: granted.workspaceId,
        name: granted.workspaceName,
        role: granted.role,
        createdAt: granted.workspaceCreatedAt,
        updatedAt: granted.workspaceUpdatedAt,
      };
    },
    rename: (granted, name, requestId) => rename(ctx, granted, name, requestId),
    remove: (granted, requestId) => remove(ctx, granted, requestId),
  };
}
