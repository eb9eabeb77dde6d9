import { createAirtableGateway, type GatewayEngine, isGatewayError } from '@airsuite/airtable-gateway';
import { DEFAULT_OPERATION_LEASE_MS, OPEN_POLICY, type SafetyPolicy } from '@airsuite/tools';
import { Registry } from 'prom-client';
import { createAccessTokens } from './auth/access-tokens.ts';
import { looksLikeApiKey } from './auth/api-key-format.ts';
import { createLoginThrottle } from './auth/login-throttle.ts';
import { createSigningKeyRing, type SigningKeyRing } from './auth/signing-keys.ts';
import { PlatformConfigError } from './crypto/config-error.ts';
import { createSecretBox, type SecretBox, SecretBoxError } from './crypto/secret-box.ts';
import type { Database } from './db/database.ts';
import { PlatformError } from './errors.ts';
import { checkHealth, type HealthReport } from './health.ts';
import { createPluginServices, type PluginServices } from './plugins/plugin-services.ts';
import type { Principal } from './principal.ts';
import { createAccessCache } from './services/access-cache.ts';
import { type Accounts, createAccounts } from './services/accounts.ts';
import { type ApiKeys, type CachedApiKey, createApiKeys } from './services/api-keys.ts';
import { type AuditLog, createAuditLog } from './services/audit-log.ts';
import { type Connections, createConnections, type TokenValidator } from './services/connections.ts';
import { createCredentialCache } from './services/credential-cache.ts';
import { createMembers, type Members } from './services/members.ts';
import { createOperationLog, type OperationLog } from './services/operations.ts';
import { createWorkspaceTools, type WorkspaceTools } from './services/workspace-tools.ts';
import { createWorkspaces, type Workspaces } from './services/workspaces.ts';
import {
  type ChangeCapture,
  type ChangeCaptureSettings,
  createChangeCapture,
} from './webhooks/capture/change-capture.ts';
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

/** whoami through the gateway: a token Airtable refuses is never stored. */
function gatewayValidator(engine: GatewayEngine): TokenValidator {
  return async (token) => {
    const client = createAirtableGateway({ engine, token, priority: 'interactive' });
    try {
      const me = await client.whoami();
      return { airtableUserId: me.id };
    } catch (error) {
      if (isGatewayError(error) && (error.upstreamStatus === 401 || error.upstreamStatus === 403)) {
        throw new PlatformError(
          'CONNECTION_INVALID_TOKEN',
          'Airtable did not accept this token; check it and its scopes',
        );
      }
      throw new PlatformError(
        'CONNECTION_UNREACHABLE',
        'Airtable could not be reached to check the token; try again',
      );
    } finally {
      await client.close();
    }
  };
}

export function bearerFrom(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The signing key ring, its current key already readable: a secret key that cannot open it is a setting to fix. */
async function openKeyRing(db: Database, secretBox: SecretBox, now: () => Date): Promise<SigningKeyRing> {
  const keyRing = createSigningKeyRing({ db, secretBox, now });
  try {
    await keyRing.current();
  } catch (error) {
    if (error instanceof SecretBoxError) {
      throw new PlatformConfigError(
        'PLATFORM_SECRET_KEY_MISMATCH',
        "the database holds secrets encrypted with another AIRSUITE_SECRET_KEY: start with the key it was created with (or point DATABASE_URL / AIRSUITE_DATA_DIR at this key's database)",
      );
    }
    throw error;
  }
  return keyRing;
}

/**
 * Sweeps the operations a dead runner left. An embedded database has one process: whatever it
 * left running died with it. On PostgreSQL other processes may be mid-write, so only expired
 * leases are swept, here and on the returned timer.
 */
async function startSweeping(
  db: Database,
  operations: OperationLog,
  leaseMs: number,
): Promise<NodeJS.Timeout> {
  await operations.sweep({ all: db.kind === 'pglite' });
  const sweeper = setInterval(() => void operations.sweep().catch(() => {}), leaseMs);
  sweeper.unref();
  return sweeper;
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { db, engine } = options;
  const now = options.now ?? (() => new Date());
  const secretBox = createSecretBox(options.secretKey);
  const audit = createAuditLog(db);
  const keyRing = await openKeyRing(db, secretBox, now);
  const accessTokens = createAccessTokens({
    keyRing,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    audience: options.audience ?? DEFAULT_AUDIENCE,
    ttlSeconds: options.accessTokenTtlSeconds ?? 900,
    now,
  });
  const sessionCache = await createCredentialCache<Extract<Principal, { kind: 'user' }>>(db);
  const keyCache = await createCredentialCache<CachedApiKey>(db);
  const accounts = createAccounts({
    db,
    audit,
    accessTokens,
    throttle: createLoginThrottle(db, { now }),
    sessions: sessionCache,
    now,
  });
  const metrics = new Registry();
  const webhooks = await createWebhookServices({ db, audit, secretBox, now, metrics }, options.webhooks);
  const accessCache = await createAccessCache(db);
  const workspaces = createWorkspaces(db, audit, accessCache, keyCache);
  const members = createMembers(db, audit, accessCache, keyCache, webhooks.outbox);
  const apiKeys = createApiKeys(db, audit, keyCache, now, webhooks.outbox);
  const connections = createConnections(
    db,
    audit,
    secretBox,
    options.validateToken ?? gatewayValidator(engine),
    webhooks.outbox,
  );
  const operations = createOperationLog(db, audit, {
    ...(options.operationLeaseMs ? { leaseMs: options.operationLeaseMs } : {}),
    outbox: webhooks.outbox,
    now,
  });
  const sweeper = await startSweeping(db, operations, options.operationLeaseMs ?? DEFAULT_OPERATION_LEASE_MS);
  const changeCapture = createChangeCapture(
    {
      db,
      audit,
      secretBox,
      outbox: webhooks.outbox,
      connections,
      engine,
      now,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    },
    options.changeCapture,
  );
  const plugins = createPluginServices({
    db,
    audit,
    outbox: webhooks.outbox,
    now,
    // tools is made just below; plugins reach Airtable only once a call runs.
    airtableFor: async (access) => (await tools.contextFor(access)).airtable,
  });
  const tools = createWorkspaceTools({
    db,
    engine,
    operations,
    audit,
    workspaces,
    members,
    connections,
    webhooks,
    deploymentPolicy: options.deploymentPolicy ?? OPEN_POLICY,
    pluginTools: (access) => plugins.tools.toolsFor(access),
  });
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
    async authenticate(bearer) {
      if (!bearer) {
        throw new PlatformError('AUTH_REQUIRED', 'send "Authorization: Bearer <access token or API key>"');
      }
      return looksLikeApiKey(bearer) ? apiKeys.authenticate(bearer) : accounts.authenticate(bearer);
    },
    jwks: () => keyRing.jwks(),
    health: () => checkHealth(db),
    async close() {
      clearInterval(sweeper);
      await changeCapture.close();
      await plugins.close();
      await webhooks.close();
      await tools.close();
      await sessionCache.close();
      await accessCache.close();
      await keyCache.close();
    },
  };
}
