import { createCatalogue } from '@airsuite/tools';
import { McpConfigError } from './errors.ts';
import {
  DEFAULT_MCP_HOST,
  DEFAULT_MCP_PORT,
  type RunningMcpHttpServer,
  startMcpHttpServer,
} from './http-server.ts';
import { type Env, policyFromEnv } from './policy-from-env.ts';
import { createUpstreamFromEnv } from './upstream.ts';

export interface McpHttpListenSettings {
  port: number;
  host: string;
  stateless: boolean;
  allowedOrigins: string[];
  allowedHosts: string[];
}

export interface McpHttpSettings extends McpHttpListenSettings {
  authToken: string;
}

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `MCP_PORT` (8001), `MCP_HOST` (127.0.0.1), `MCP_STATELESS`, `MCP_ALLOWED_ORIGINS`, `MCP_ALLOWED_HOSTS`. */
export function httpListenSettingsFromEnv(
  env: Env,
  flags: { stateless?: boolean; port?: number } = {},
): McpHttpListenSettings {
  const rawPort = env.MCP_PORT?.trim();
  const port = flags.port ?? (rawPort ? Number(rawPort) : DEFAULT_MCP_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new McpConfigError(
      'MCP_INVALID_SETTING',
      `MCP_PORT must be a port number (0-65535), got ${JSON.stringify(rawPort)}`,
    );
  }
  return {
    port,
    host: env.MCP_HOST?.trim() || DEFAULT_MCP_HOST,
    stateless:
      flags.stateless ?? ['1', 'true', 'yes', 'on'].includes((env.MCP_STATELESS ?? '').toLowerCase()),
    allowedOrigins: list(env.MCP_ALLOWED_ORIGINS),
    allowedHosts: list(env.MCP_ALLOWED_HOSTS),
  };
}

/** The single-identity deployment: listen settings plus `MCP_AUTH_TOKEN` (required, 16+ characters). */
export function httpSettingsFromEnv(
  env: Env,
  flags: { stateless?: boolean; port?: number } = {},
): McpHttpSettings {
  const listen = httpListenSettingsFromEnv(env, flags);
  const authToken = env.MCP_AUTH_TOKEN?.trim() ?? '';
  if (authToken.length < 16) {
    throw new McpConfigError(
      'MCP_MISSING_AUTH_TOKEN',
      'MCP_AUTH_TOKEN must be set to a secret of at least 16 characters: HTTP clients send it as "Authorization: Bearer <token>"',
    );
  }
  return { ...listen, authToken };
}

/** The HTTP deployment: settings and policy from env, one in-process gateway for `AIRTABLE_TOKEN`. */
export async function startMcpHttpServerFromEnv(
  env: Env,
  flags: { stateless?: boolean; port?: number } = {},
  onInternalError?: (error: unknown, where: string) => void,
): Promise<RunningMcpHttpServer & { settings: McpHttpSettings }> {
  const settings = httpSettingsFromEnv(env, flags);
  const policy = policyFromEnv(env);
  const upstream = await createUpstreamFromEnv(env);
  try {
    const server = await startMcpHttpServer({
      ...settings,
      tools: createCatalogue(policy),
      policy,
      contextFor: (extra) => ({
        airtable: upstream.airtable,
        operations: upstream.operations,
        caller: { id: extra.sessionId ? `mcp-http:${extra.sessionId}` : 'mcp-http' },
      }),
      ...(onInternalError ? { onInternalError } : {}),
    });
    return {
      ...server,
      settings,
      async close() {
        await server.close();
        await upstream.close();
      },
    };
  } catch (error) {
    await upstream.close();
    throw error;
  }
}
