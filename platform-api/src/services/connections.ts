import { newId } from '../crypto/opaque-token.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import { changeEvent } from '../webhooks/change-event.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import type { AuditLog } from './audit-log.ts';
import { requireRole } from './workspaces.ts';

export interface Connection {
  id: string;
  name: string;
  /** `pat…a1b2`: enough to recognise a token, never enough to use it. */
  tokenHint: string;
  bases?: string[];
  airtableUserId?: string;
  isDefault: boolean;
  createdAt: string;
  lastValidatedAt?: string;
}

/** What the tools need: the decrypted token and the bases it is limited to. */
export interface ConnectionSecret {
  id: string;
  token: string;
  bases?: string[];
}

/** Checks a token with Airtable (whoami, through the gateway) before it is stored. */
export type TokenValidator = (token: string) => Promise<{ airtableUserId: string }>;

interface ConnectionRow {
  id: string;
  workspace_id: string;
  name: string;
  token_ciphertext: string;
  token_hint: string;
  bases: string[] | null;
  airtable_user_id: string | null;
  is_default: boolean;
  created_at: Date | string;
  last_validated_at: Date | string | null;
}

const toConnection = (row: ConnectionRow): Connection => ({
  id: row.id,
  name: row.name,
  tokenHint: row.token_hint,
  ...(row.bases ? { bases: row.bases } : {}),
  ...(row.airtable_user_id ? { airtableUserId: row.airtable_user_id } : {}),
  isDefault: row.is_default,
  createdAt: new Date(row.created_at).toISOString(),
  ...(row.last_validated_at ? { lastValidatedAt: new Date(row.last_validated_at).toISOString() } : {}),
});

export const maskToken = (token: string): string =>
  token.length <= 12 ? '…' : `${token.slice(0, 3)}…${token.slice(-4)}`;

/** The ciphertext only opens for its own row: copying it to another workspace does not work. */
const aadOf = (workspaceId: string, connectionId: string) => `connection:${workspaceId}:${connectionId}`;

export interface Connections {
  create(
    access: WorkspaceAccess,
    input: { name: string; token: string; bases?: string[] },
    requestId?: string,
  ): Promise<Connection>;
  list(access: WorkspaceAccess): Promise<Connection[]>;
  remove(access: WorkspaceAccess, connectionId: string, requestId?: string): Promise<void>;
  /** Every connection of the workspace, decrypted, for tool calls: the default first; empty when there is none. */
  secretsFor(workspaceId: string): Promise<ConnectionSecret[]>;
}

/** What the connection operations share. */
interface ConnectionsContext {
  db: Database;
  audit: AuditLog;
  secretBox: SecretBox;
  validateToken: TokenValidator;
  outbox: Outbox;
}

async function create(
  { db, audit, secretBox, validateToken, outbox }: ConnectionsContext,
  access: WorkspaceAccess,
  input: Parameters<Connections['create']>[1],
  requestId?: string,
): Promise<Connection> {
  requireRole(access, 'admin', 'adding Airtable connections');
  const { airtableUserId } = await validateToken(input.token);
  const id = newId('con');
  const ciphertext = secretBox.seal(input.token, aadOf(access.workspaceId, id));
  const bases = input.bases && input.bases.length > 0 ? [...new Set(input.bases)] : null;
  const row = await db.transaction(async (tx) => {
    // The first connection of a workspace is its default: whoami, and bases no other one reaches.
    const [existing] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM connections WHERE workspace_id = $1',
      [access.workspaceId],
    );
    const [inserted] = await tx.query<ConnectionRow>(
      `INSERT INTO connections (id, workspace_id, name, token_ciphertext, token_hint, bases, airtable_user_id,
         is_default, created_by, last_validated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) RETURNING *`,
      [
        id,
        access.workspaceId,
        input.name,
        ciphertext,
        maskToken(input.token),
        bases ? JSON.stringify(bases) : null,
        airtableUserId,
        (existing?.n ?? 0) === 0,
        access.principal.kind === 'user' ? access.principal.userId : null,
      ],
    );
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'connection.create',
        target: { type: 'connection', id },
        outcome: 'success',
        requestId,
        details: { name: input.name, token_hint: maskToken(input.token), ...(bases ? { bases } : {}) },
      },
      tx,
    );
    await outbox.emit(tx, [
      changeEvent(access, requestId, 'connection.created', { connection_id: id, name: input.name }),
    ]);
    return inserted;
  });
  if (!row) throw new Error('connection insert returned nothing');
  return toConnection(row);
}

async function list({ db }: ConnectionsContext, access: WorkspaceAccess): Promise<Connection[]> {
  const rows = await db.query<ConnectionRow>(
    'SELECT * FROM connections WHERE workspace_id = $1 ORDER BY created_at, id',
    [access.workspaceId],
  );
  return rows.map(toConnection);
}

async function remove(
  { db, audit, outbox }: ConnectionsContext,
  access: WorkspaceAccess,
  connectionId: string,
  requestId?: string,
): Promise<void> {
  requireRole(access, 'admin', 'removing Airtable connections');
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx.query<ConnectionRow>(
      'DELETE FROM connections WHERE id = $1 AND workspace_id = $2 RETURNING *',
      [connectionId, access.workspaceId],
    );
    if (!row) return false;
    if (row.is_default) {
      await tx.query(
        `UPDATE connections SET is_default = true WHERE id = (
           SELECT id FROM connections WHERE workspace_id = $1 ORDER BY created_at, id LIMIT 1)`,
        [access.workspaceId],
      );
    }
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'connection.delete',
        target: { type: 'connection', id: connectionId },
        outcome: 'success',
        requestId,
        details: { name: row.name },
      },
      tx,
    );
    await outbox.emit(tx, [
      changeEvent(access, requestId, 'connection.deleted', { connection_id: connectionId }),
    ]);
    return true;
  });
  if (!removed)
    throw new PlatformError('CONNECTION_NOT_FOUND', 'no connection with this id in this workspace');
}

async function secretsFor(
  { db, secretBox }: ConnectionsContext,
  workspaceId: string,
): Promise<ConnectionSecret[]> {
  const rows = await db.query<ConnectionRow>(
    'SELECT * FROM connections WHERE workspace_id = $1 ORDER BY is_default DESC, created_at, id',
    [workspaceId],
  );
  return rows.map((row) => ({
    id: row.id,
    token: secretBox.open(row.token_ciphertext, aadOf(workspaceId, row.id)),
    ...(row.bases ? { bases: row.bases } : {}),
  }));
}

export function createConnections(
  db: Database,
  audit: AuditLog,
  secretBox: SecretBox,
  validateToken: TokenValidator,
  /** Where `connection.*` events are written, in the change's own transaction. */
  outbox: Outbox,
): Connections {
  const ctx: ConnectionsContext = { db, audit, secretBox, validateToken, outbox };
  return {
    create: (access, input, requestId) => create(ctx, access, input, requestId),
    list: (access) => list(ctx, access),
    remove: (access, connectionId, requestId) => remove(ctx, access, connectionId, requestId),
    secretsFor: (workspaceId) => secretsFor(ctx, workspaceId),
  };
}
