import type { IncomingHttpHeaders } from 'node:http';
import { bearerFrom, isPlatformError, type Platform, type Principal } from '@airsuite/platform-api';
import { ToolError } from '@airsuite/tools';
import { McpAuthError, type McpAuthenticator } from './identity.ts';

/** Which workspace an access token works in, when its user belongs to several. */
export const WORKSPACE_HEADER = 'x-airsuite-workspace';

function refusal(error: unknown): never {
  if (isPlatformError(error) && error.status >= 400 && error.status < 500) {
    throw new McpAuthError(error.status as McpAuthError['status'], error.code, error.message);
  }
  // Credentials that could not be checked are neither accepted nor refused: try again later.
  if (isPlatformError(error) && error.code === 'DATABASE_UNAVAILABLE') {
    throw new McpAuthError(503, error.code, error.message, retryAfterOf(error.details));
  }
  throw error;
}

function retryAfterOf(details: Record<string, unknown> | undefined): number | undefined {
  const seconds = details?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : undefined;
}

/** A tool call whose context needs the database while it is down fails as a tool error with a code. */
function unavailableTool(error: unknown): never {
  if (isPlatformError(error) && error.code === 'DATABASE_UNAVAILABLE') {
    throw new ToolError('TOOL_UNAVAILABLE', error.message);
  }
  throw error;
}

async function workspaceOf(
  platform: Platform,
  principal: Principal,
  headers: IncomingHttpHeaders,
): Promise<string> {
  if (principal.kind === 'api_key') return principal.workspaceId;
  const header = headers[WORKSPACE_HEADER];
  const chosen = Array.isArray(header) ? header[0] : header;
  if (chosen) return chosen;
  const workspaces = await platform.workspaces.list(principal);
  const [only] = workspaces;
  if (workspaces.length === 1 && only) return only.id;
  throw new McpAuthError(
    400,
    'AUTH_WORKSPACE_REQUIRED',
    workspaces.length === 0
      ? 'you belong to no workspace yet; create one first'
      : `you belong to ${workspaces.length} workspaces; send the header X-AirSuite-Workspace: <workspace id> (or use an API key)`,
  );
}

/**
 * MCP over HTTP as the platform's users see it: an API key or an access token decides the
 * workspace, the workspace decides the Airtable connection, the role decides which tools are
 * listed at all. Checked on every request, so a revoked key stops working at once.
 */
export function createPlatformAuthenticator(platform: Platform): McpAuthenticator {
  const authenticate: McpAuthenticator = async (headers) => {
    try {
      const principal = await platform.authenticate(bearerFrom(headers.authorization));
      const workspaceId = await workspaceOf(platform, principal, headers);
      const access = await platform.workspaces.access(principal, workspaceId);
      const { tools, policy } = await platform.tools.catalogueFor(access);
      // The role is part of the subject: a session keeps the catalogue and access it was opened with,
      // so a member whose role changes must start a new session (404) rather than keep the old rights.
      const caller =
        principal.kind === 'user' ? `user:${principal.userId}@${workspaceId}` : `key:${principal.keyId}`;
      const subject = `${caller}#${access.role}`;
      return {
        subject,
        tools,
        policy,
        contextFor: () => platform.tools.contextFor(access).catch(unavailableTool),
        workspaceId,
        catalogue: () => platform.tools.catalogueFor(access),
      };
    } catch (error) {
      if (error instanceof McpAuthError) throw error;
      return refusal(error);
    }
  };
  authenticate.watchCatalogues = (listener) => platform.plugins.onChange(listener);
  return authenticate;
}
