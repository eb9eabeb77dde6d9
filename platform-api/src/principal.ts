import type { WorkspaceRole } from '@airsuite/tools';

/**
 * Who is making a request, as proved by its bearer credential. An access token speaks for
 * a user in every workspace they belong to; an API key speaks for one workspace with one role.
 */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      email: string;
      name?: string;
      /** The login session (refresh-token family) the access token belongs to. */
      sessionId: string;
    }
  | {
      kind: 'api_key';
      keyId: string;
      keyName: string;
      workspaceId: string;
      role: WorkspaceRole;
      /** The member who created the key, for the audit trail. */
      createdBy?: string;
    };

/** A principal's standing in one workspace, once membership (or the key's scope) is checked. */
export interface WorkspaceAccess {
  principal: Principal;
  workspaceId: string;
  workspaceName: string;
  role: WorkspaceRole;
  workspaceCreatedAt: string;
  workspaceUpdatedAt: string;
}

/** How the audit trail names a principal. */
export function actorOf(principal: Principal): { type: 'user' | 'api_key'; id: string; label: string } {
  return principal.kind === 'user'
    ? { type: 'user', id: principal.userId, label: principal.email }
    : { type: 'api_key', id: principal.keyId, label: principal.keyName };
}
