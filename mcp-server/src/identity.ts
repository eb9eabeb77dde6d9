import type { IncomingHttpHeaders } from 'node:http';
import { codedError } from '@airsuite/airtable-gateway/coded-error';
import type { PlatformErrorCode } from '@airsuite/platform-api';
import type { SafetyPolicy, ToolDefinition } from '@airsuite/tools';
import type { ContextFor } from './tool-context-factory.ts';

/**
 * Who an HTTP request speaks for, and therefore what it sees: the catalogue its role
 * allows, the policy of its workspace, and the Airtable connection its calls use.
 */
export interface McpIdentity {
  /**
   * The caller, its workspace and its role: a session only serves the identity that opened it,
   * so a revoked key, a removed member or a changed role never reuses an open session.
   */
  subject: string;
  tools: readonly ToolDefinition[];
  policy: SafetyPolicy;
  contextFor: ContextFor;
  /** The workspace whose catalogue `tools` is, for sessions to hear of its changes. */
  workspaceId?: string;
  /** Reads the catalogue again for this identity (a session's list after a change). */
  catalogue?: () => Promise<{ tools: readonly ToolDefinition[]; policy: SafetyPolicy }>;
}

/** Resolves a request's credentials; throws McpAuthError when they do not hold. */
export type McpAuthenticator = ((headers: IncomingHttpHeaders) => Promise<McpIdentity>) & {
  /**
   * Hears when a workspace's catalogue changes (plugins), or any may have (`undefined`, after a
   * lost notification); returns the unsubscribe. Open sessions then re-read their lists.
   */
  watchCatalogues?: (listener: (workspaceId?: string) => void) => () => void;
};

/**
 * A refusal with the HTTP status and stable code the client gets; 503 when the credentials
 * could not be checked at all (the platform's database is down), with the seconds to wait.
 */
export class McpAuthError extends codedError<PlatformErrorCode>('McpAuthError') {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 429 | 503,
    /** The platform's own code for the refusal (AUTH_INVALID_TOKEN, DATABASE_UNAVAILABLE, …). */
    code: PlatformErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }
}
