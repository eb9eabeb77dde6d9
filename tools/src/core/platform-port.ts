/**
 * What the platform tells tools about the caller's account. The platform implements it,
 * already scoped to one caller and one workspace, so a tool can never name another tenant.
 * Methods throw ToolError (TOOL_NOT_ALLOWED when the caller's role may not see something).
 */
export interface PlatformPort {
  whoami(): Promise<PlatformIdentity>;
  /** Workspaces the calling user belongs to (an API key sees only its own). */
  listWorkspaces(): Promise<PlatformWorkspace[]>;
  /** Members of the current workspace. */
  listMembers(): Promise<PlatformMember[]>;
  /** Airtable connections of the current workspace; tokens are never included, only a masked hint. */
  listConnections(): Promise<PlatformConnection[]>;
  /** Newest first; `cursor` is the previous page's `nextCursor`. Admins and owners only. */
  listAuditEvents(query: PlatformAuditQuery): Promise<{ events: PlatformAuditEvent[]; nextCursor?: string }>;
}

export type WorkspaceRole = 'owner' | 'admin' | 'editor' | 'viewer';

export interface PlatformIdentity {
  user?: { id: string; email: string; name?: string };
  apiKey?: { id: string; name: string };
  workspace?: { id: string; name: string };
  role?: WorkspaceRole;
  /** 'access_token' | 'api_key' | 'standalone' */
  authenticatedWith: string;
}

export interface PlatformWorkspace {
  id: string;
  name: string;
  role: WorkspaceRole;
  createdAt: string;
}

export interface PlatformMember {
  userId: string;
  email: string;
  name?: string;
  role: WorkspaceRole;
  joinedAt: string;
}

export interface PlatformConnection {
  id: string;
  name: string;
  /** e.g. `pat…a1b2` */
  tokenHint: string;
  /** Bases this connection is limited to; absent means every base the token reaches. */
  bases?: string[];
  createdAt: string;
  isDefault: boolean;
}

export interface PlatformAuditQuery {
  limit?: number;
  cursor?: string;
  action?: string;
  actorId?: string;
  outcome?: 'success' | 'failure' | 'denied';
  since?: string;
  until?: string;
}

export interface PlatformAuditEvent {
  id: string;
  at: string;
  action: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string; label?: string };
  target?: { type: string; id: string };
  outcome: 'success' | 'failure' | 'denied';
  errorCode?: string;
  durationMs?: number;
  details?: Record<string, unknown>;
}
