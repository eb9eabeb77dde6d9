import { type PlatformPort, ToolError } from '@airsuite/tools';
import { isPlatformError } from '../errors.ts';
import type { WorkspaceAccess } from '../principal.ts';
import type { WebhookServices } from '../webhooks/webhook-services.ts';
import type { AuditLog } from './audit-log.ts';
import type { Connections } from './connections.ts';
import type { Members } from './members.ts';
import { requireRole, type Workspaces } from './workspaces.ts';

export interface PlatformPortDeps {
  workspaces: Workspaces;
  members: Members;
  connections: Connections;
  audit: AuditLog;
  /** Webhook endpoints and their delivery log, for the webhook tools. */
  webhooks?: Pick<WebhookServices, 'endpoints' | 'deliveries'>;
}

/** Platform failures become tool errors a model can read; nothing else about them leaks. */
async function asTool<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPlatformError(error)) {
      // The database being down is not the model's call to fix: it may try again later.
      if (error.code === 'DATABASE_UNAVAILABLE') throw new ToolError('TOOL_UNAVAILABLE', error.message);
      const code = error.code === 'FORBIDDEN' ? 'TOOL_NOT_ALLOWED' : 'TOOL_INVALID_INPUT';
      throw new ToolError(code, error.message);
    }
    throw error;
  }
}

/** The platform as the platform tools see it: bound to one caller in one workspace. */
export function platformPortFor(access: WorkspaceAccess, deps: PlatformPortDeps): PlatformPort {
  const { principal } = access;
  return {
    async whoami() {
      return {
        ...(principal.kind === 'user'
          ? {
              user: {
                id: principal.userId,
                email: principal.email,
                ...(principal.name ? { name: principal.name } : {}),
              },
            }
          : { apiKey: { id: principal.keyId, name: principal.keyName } }),
        workspace: { id: access.workspaceId, name: access.workspaceName },
        role: access.role,
        authenticatedWith: principal.kind === 'user' ? 'access_token' : 'api_key',
      };
    },
    listWorkspaces: () =>
      asTool(async () =>
        (await deps.workspaces.list(principal)).map((w) => ({
          id: w.id,
          name: w.name,
          role: w.role,
          createdAt: w.createdAt,
        })),
      ),
    listMembers: () => asTool(() => deps.members.list(access)),
    listConnections: () =>
      asTool(async () =>
        (await deps.connections.list(access)).map((c) => ({
          id: c.id,
          name: c.name,
          tokenHint: c.tokenHint,
          ...(c.bases ? { bases: c.bases } : {}),
          createdAt: c.createdAt,
          isDefault: c.isDefault,
        })),
      ),
    listAuditEvents: (query) =>
      asTool(async () => {
        requireRole(access, 'admin', 'reading the audit log');
        return deps.audit.list(access.workspaceId, query);
      }),
  };
}
