import type { GatewayEngine } from '@airsuite/airtable-gateway';
import { OPEN_POLICY, type SafetyPolicy } from '@airsuite/tools';
import { Registry } from 'prom-client';
import { looksLikeApiKey } from './auth/api-key-format.ts';
import { openCredentials } from './auth/credentials.ts';
import { createSecretBox, type SecretBox } from './crypto/secret-box.ts';
import type { Database } from './db/database.ts';
import { PlatformError } from './errors.ts';
import { checkHealth, type HealthReport } from './health.ts';
import {
  createPluginServices,
  type PluginServices,
  type PluginServicesOptions,
} from './plugins/plugin-services.ts';
import type { Principal } from './principal.ts';
import { type AccessCache, createAccessCache } from './services/access-cache.ts';
import type { Accounts } from './services/accounts.ts';
import { type ApiKeys, type CachedApiKey, createApiKeys } from './services/api-keys.ts';
import { type AuditLog, createAuditLog } from './services/audit-log.ts';
import { type Connections, createConnections, type TokenValidator } from './services/connections.ts';
import type { CredentialCache } from './services/credential-cache.ts';
import { gatewayValidator } from './services/gateway-token-validator.ts';
import { createMembers, type Members } from './services/members.ts';
import { openOperationLog } from './services/open-operation-log.ts';
import type { OperationLog } from './services/operations.ts';
import {
  createWorkspaceTools,
  type WorkspaceTools,
  type WorkspaceToolsDeps,
} from './services/workspace-tools.ts';
import { createWorkspaces, type Workspaces } from './services/workspaces.ts';
import {
  type ChangeCapture,
  type ChangeCaptureSettings,
  createChangeCapture,
} from './webhooks/capture/change-capture.ts';
import type { Outbox } from './webhooks/outbox.ts';
import {
  createWebhookServices,
  type WebhookServices,
  type WebhookSettings,
} from './webhooks/webhook-services.ts';

export const DEFAULT_ISSUER = 'airsuite';
export const DEFAULT_AUDIENCE = 'airsuite-api';

export interface PlatformOptions {
  /** Migrated database (openDatabase). The platform does not close it. */
  db: Database;
  /** 32 bytes (loadSecretKey): encrypts connection tokens and signing keys at rest. */
  secretKey: Buffer;
  /** The gateway every Airtable call goes through (validation of tokens, tool calls). */
  engine: GatewayEngine;
  /** JWT `iss`; default 'airsuite'. */
  issuer?: string;
  /** JWT `aud`; default 'airsuite-api'. */
  audience?: string;
  /** Access-token lifetime; default 900 s. */
  accessTokenTtlSeconds?: number;
  /** Deployment-wide limits on top of every role (AIRSUITE_READ_ONLY …). */
  deploymentPolicy?: SafetyPolicy;
  /** How long a write operation's runner holds it without renewing (a dead one reads interrupted after). Default 30 s. */
  operationLeaseMs?: number;
  /** Outbound webhooks: the delivery allow-list, whether this process delivers, retries. */
  webhooks?: WebhookSettings;
  /** Plugins: the instance pool, and whether this process runs on_event handlers (and how). */
  plugins?: PluginServicesOptions;
  /** AIRSUITE_PUBLIC_URL: where Airtable reaches this platform (change capture's notification pings). */
  publicUrl?: string;
  /** Change capture's timer, refresh window and clock. */
  changeCapture?: ChangeCaptureSettings;
  /** Replaces the whoami check of new connections (tests of failure paths). */
  validateToken?: TokenValidator;
  now?: () => Date;
}

/** Every platform service, wired once per process and shared by the REST API, MCP and chat. */
export interface Platform {
  db: Database;
  audit: AuditLog;
  accounts: Accounts;
  workspaces: Workspaces;
  members: Members;
  apiKeys: ApiKeys;
  connections: Connections;
  tools: WorkspaceTools;
  /** Multi-record writes as operations (idempotency keys, get_operation, the interrupted sweep). */
  operations: OperationLog;
  /** Endpoints, the outbox of events, the delivery log, and this process's delivery worker. */
  webhooks: WebhookServices;
  /** Changes made in Airtable by others, captured per base through Airtable webhooks. */
  changeCapture: ChangeCapture;
  /** Plugins: publishing, installing, trust, and the instances running here. */
  plugins: PluginServices;
  /** Prometheus metrics of this process (webhook delivery), served at `/metrics`. */
  metrics: Registry;
  /** `Authorization: Bearer …` → who is calling: an `ask_live_…` API key or an access token. */
  authenticate(bearer: string | undefined): Promise<Principal>;
  jwks(): Promise<{ keys: object[] }>;
  /** What `/healthz` reports: whether the database answers right now. */
  health(): Promise<HealthReport>;
  close(): Promise<void>;
}

export function bearerFrom(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** `Authorization: Bearer …` to its caller: API keys by their format, anything else as an access token. */
function bearerAuthenticator(apiKeys: ApiKeys, accounts: Accounts): Platform['authenticate'] {
  return async (bearer) => {
    if (!bearer) {
      throw new PlatformError('AUTH_REQUIRED', 'send "Authorization: Bearer <access token or API key>"');
    }
    return looksLikeApiKey(bearer) ? apiKeys.authenticate(bearer) : accounts.authenticate(bearer);
  };
}

interface WorkspaceServicesDeps {
  db: Database;
  audit: AuditLog;
  secretBox: SecretBox;
  accessCache: AccessCache;
  keyCache: CredentialCache<CachedApiKey>;
  outbox: Outbox;
  now: () => Date;
  validateToken: TokenValidator;
}

/** Workspaces, their members, API keys and connections, over the caches that must forget at once. */
function createWorkspaceServices(deps: WorkspaceServicesDeps) {
  const { db, audit, accessCache, keyCache, outbox } = deps;
  return {
    workspaces: createWorkspaces(db, audit, accessCache, keyCache),
    members: createMembers(db, audit, accessCache, keyCache, outbox),
    apiKeys: createApiKeys(db, audit, keyCache, deps.now, outbox),
    connections: createConnections(db, audit, deps.secretBox, deps.validateToken, outbox),
  };
}

/** The workspace tools and the plugins, which each need the other. */
function createToolServices(
  deps: Omit<WorkspaceToolsDeps, 'pluginTools' | 'writeGuards' | 'plugins'> & { webhooks: WebhookServices },
  now: () => Date,
  options: PluginServicesOptions = {},
): { tools: WorkspaceTools; plugins: PluginServices } {
  const plugins = createPluginServices(
    {
      db: deps.db,
      audit: deps.audit,
      outbox: deps.webhooks.outbox,
      now,
      // tools is made just below; plugins reach Airtable only once a call runs.
      airtableFor: async (access) => (await tools.contextFor(access)).airtable,
      toolContextFor: (access) => tools.contextFor(access),
      addressPolicy: deps.webhooks.policy,
    },
    options,
  );
  const tools = createWorkspaceTools({
    ...deps,
    plugins: { registry: plugins.registry, runtime: plugins.runtime },
    pluginTools: (access) => plugins.tools.toolsFor(access),
    writeGuards: plugins.writeGuards,
  });
  return { tools, plugins };
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { db, engine } = options;
  const now = options.now ?? (() => new Date());
  const secretBox = createSecretBox(options.secretKey);
  const audit = createAuditLog(db);
  const core = { db, audit, secretBox, now };
  const { keyRing, accounts, sessionCache, keyCache } = await openCredentials({
    ...core,
    tokens: {
      issuer: options.issuer ?? DEFAULT_ISSUER,
      audience: options.audience ?? DEFAULT_AUDIENCE,
      ttlSeconds: options.accessTokenTtlSeconds ?? 900,
    },
  });
  const metrics = new Registry();
  const webhooks = await createWebhookServices({ ...core, metrics }, options.webhooks);
  const { outbox } = webhooks;
  const accessCache = await createAccessCache(db);
  const validateToken = options.validateToken ?? gatewayValidator(engine);
  const { workspaces, members, apiKeys, connections } = createWorkspaceServices({
    ...core,
    accessCache,
    keyCache,
    outbox,
    validateToken,
  });
  const leaseMs = options.operationLeaseMs;
  const { operations, sweeper } = await openOperationLog(db, audit, { outbox, now, leaseMs });
  const publicUrl = options.publicUrl ? { publicUrl: options.publicUrl } : {};
  const changeCapture = createChangeCapture(
    { ...core, outbox, connections, engine, ...publicUrl },
    options.changeCapture,
  );
  const deploymentPolicy = options.deploymentPolicy ?? OPEN_POLICY;
  const { tools, plugins } = createToolServices(
    { db, engine, operations, audit, workspaces, members, connections, webhooks, deploymentPolicy },
    now,
    options.plugins,
  );
  const closing = [changeCapture, plugins, webhooks, tools, sessionCache, accessCache, keyCache];
  return {
    db,
    audit,
    accounts,
    workspaces,
    members,
    apiKeys,
    connections,
    tools,
    operations,
    webhooks,
    changeCapture,
    plugins,
    metrics,
    authenticate: bearerAuthenticator(apiKeys, accounts),
    jwks: () => keyRing.jwks(),
    health: () => checkHealth(db),
    async close() {
      clearInterval(sweeper);
      for (const service of closing) await service.close();
    },
  };
}
