import type { AirtableGateway, GatewayEngine } from '@airsuite/airtable-gateway';
import { createAirtableGateway } from '@airsuite/airtable-gateway';
import {
  createCatalogue,
  type SafetyPolicy,
  type ToolContext,
  type ToolDefinition,
  ToolError,
} from '@airsuite/tools';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import { schemaEventOf } from '../webhooks/events/schema-events.ts';
import type { EventInput } from '../webhooks/outbox.ts';
import type { WebhookServices } from '../webhooks/webhook-services.ts';
import type { AuditLog } from './audit-log.ts';
import { type ConnectionRoute, createConnectionRouter } from './connection-router.ts';
import type { ConnectionSecret, Connections } from './connections.ts';
import type { OperationLog } from './operations.ts';
import { type PlatformPortDeps, platformPortFor } from './platform-port.ts';
import { summariseArguments } from './summarise-arguments.ts';

/** Refused by role or deployment rather than failed. */
const DENIALS = new Set(['TOOL_NOT_ALLOWED', 'TOOL_READ_ONLY']);

/** Connections whose reachable bases are remembered; the least recently used goes first. */
const MAX_REACHABLE_CONNECTIONS = 500;
const REACHABLE_TTL_MS = 60_000;

/**
 * The bases a workspace's tools may touch: limited only when every connection is limited
 * (then to all their bases together); one unlimited connection opens the rest.
 */
function basesOf(secrets: readonly ConnectionSecret[]): string[] | undefined {
  if (secrets.length === 0 || secrets.some((secret) => secret.bases === undefined)) return undefined;
  return [...new Set(secrets.flatMap((secret) => secret.bases ?? []))];
}

export interface WorkspaceTools {
  /** The catalogue this caller may see: its role and the deployment policy decide; calls are audited. */
  catalogueFor(access: WorkspaceAccess): Promise<{ tools: ToolDefinition[]; policy: SafetyPolicy }>;
  /** The Airtable client (the workspace's connections, routed by base), the caller and the platform port. */
  contextFor(
    access: WorkspaceAccess,
  ): Promise<
    Pick<
      ToolContext,
      'airtable' | 'caller' | 'platform' | 'policy' | 'operations' | 'onOutcome' | 'beforeWrite'
    >
  >;
  close(): Promise<void>;
}

export interface WorkspaceToolsDeps extends PlatformPortDeps {
  db: Database;
  engine: GatewayEngine;
  webhooks?: Pick<WebhookServices, 'endpoints' | 'deliveries' | 'outbox'>;
  connections: Connections;
  audit: AuditLog;
  operations: OperationLog;
  /** The deployment's own limits (AIRSUITE_READ_ONLY …), applied on top of every role. */
  deploymentPolicy: SafetyPolicy;
  /** The tools of the workspace's plugins (their functions), listed with the rest. */
  pluginTools?: (access: WorkspaceAccess) => Promise<ToolDefinition[]>;
  /** The workspace's write guards (plugins' before_write hooks), asked before each write is sent. */
  writeGuards?: (access: WorkspaceAccess) => NonNullable<ToolContext['beforeWrite']>;
}

/**
 * The Airtable side of a workspace that has no connection yet: platform tools still work,
 * and every Airtable call says what to do instead of failing obscurely.
 */
function unconnected(): AirtableGateway {
  const fail = () =>
    Promise.reject(
      new ToolError(
        'TOOL_UNAVAILABLE',
        'this workspace has no Airtable connection yet; ask an admin to add one (POST /v1/workspaces/{id}/connections)',
      ),
    );
  return new Proxy({} as AirtableGateway, {
    get: (_target, property) =>
      property === 'then' ? undefined : property === 'priority' ? 'interactive' : fail,
  });
}

/** The bases an unlimited connection reaches, kept a minute (each look costs a listBases). */
function createReachableBases(): {
  reachable: (route: ConnectionRoute) => Promise<ReadonlySet<string>>;
  clear: () => void;
} {
  const cache = new LRUCache<string, { bases: Promise<ReadonlySet<string>> }>({
    max: MAX_REACHABLE_CONNECTIONS,
    ttl: REACHABLE_TTL_MS,
  });
  return {
    reachable(route) {
      const cached = cache.get(route.id);
      if (cached) return cached.bases;
      const bases = route.client.listBases().then((list) => new Set(list.map((base) => base.id)));
      cache.set(route.id, { bases });
      // A failed look is not kept: the next call asks again.
      bases.catch(() => cache.delete(route.id));
      return bases;
    },
    clear: () => cache.clear(),
  };
}

/** The deployment's policy narrowed to the caller's role and, when given, the connections' bases. */
function policyFor(
  deployment: SafetyPolicy,
  access: WorkspaceAccess,
  bases?: readonly string[],
): SafetyPolicy {
  const allowedBases =
    bases && deployment.allowedBases
      ? bases.filter((b) => deployment.allowedBases?.includes(b))
      : (bases ?? deployment.allowedBases);
  return {
    readOnly: deployment.readOnly || access.role === 'viewer',
    ...(allowedBases ? { allowedBases } : {}),
    ...(deployment.allowedTables ? { allowedTables: deployment.allowedTables } : {}),
  };
}

/**
 * Every call's one audit row, from its outcome: refusals and invalid input included. A failed
 * call also writes its `tool.failed` event, a schema change its `table.*` / `field.*` event, in
 * the audit row's transaction (record changes write theirs with the operation's chunks).
 */
function auditFor(deps: WorkspaceToolsDeps, access: WorkspaceAccess): NonNullable<ToolContext['onOutcome']> {
  const actor = actorOf(access.principal);
  return ({ tool, outcome, input, durationMs, requestId }) => {
    const entry = {
      workspaceId: access.workspaceId,
      actor,
      action: 'tool.call',
      target: { type: 'tool', id: tool },
      outcome: outcome.ok ? 'success' : DENIALS.has(outcome.code) ? 'denied' : 'failure',
      ...(outcome.ok ? {} : { errorCode: outcome.code }),
      durationMs,
      ...(requestId ? { requestId } : {}),
      details: { tool, arguments: summariseArguments(input) as Record<string, unknown> },
    } as const;
    const outbox = deps.webhooks?.outbox;
    const common = {
      workspaceId: access.workspaceId,
      actor,
      cause: { tool, ...(requestId ? { requestId } : {}) },
    };
    const event = outcome.ok
      ? schemaEventOf(tool, input, outcome.output, common)
      : ({
          ...common,
          type: 'tool.failed',
          data: { tool, code: outcome.code, message: outcome.message },
        } satisfies EventInput<'tool.failed'>);
    if (!event || !outbox) return deps.audit.record(entry);
    return deps.db.transaction(async (tx) => {
      await deps.audit.record(entry, tx);
      await outbox.emit(tx, [event]);
    });
  };
}

async function contextFor(
  deps: WorkspaceToolsDeps,
  reachable: (route: ConnectionRoute) => Promise<ReadonlySet<string>>,
  access: WorkspaceAccess,
): ReturnType<WorkspaceTools['contextFor']> {
  const secrets = await deps.connections.secretsFor(access.workspaceId);
  const routes = secrets.map((secret) => ({
    id: secret.id,
    // A client is a plain, stateless object over the engine: made per call, nothing to cache.
    client: createAirtableGateway({ engine: deps.engine, token: secret.token }),
    ...(secret.bases ? { bases: secret.bases } : {}),
  }));
  return {
    airtable: routes.length > 0 ? createConnectionRouter({ routes, reachable }) : unconnected(),
    caller: {
      id: access.principal.kind === 'user' ? access.principal.userId : access.principal.keyId,
      role: access.role,
      workspaceId: access.workspaceId,
    },
    platform: platformPortFor(access, deps),
    policy: policyFor(deps.deploymentPolicy, access, basesOf(secrets)),
    operations: deps.operations.storeFor(access),
    onOutcome: auditFor(deps, access),
    ...(deps.writeGuards ? { beforeWrite: deps.writeGuards(access) } : {}),
  };
}

export function createWorkspaceTools(deps: WorkspaceToolsDeps): WorkspaceTools {
  const { reachable, clear } = createReachableBases();
  return {
    async catalogueFor(access) {
      // The connection's base list is applied per call (contextFor); listing only needs role and deployment.
      const policy = policyFor(deps.deploymentPolicy, access);
      const extra = deps.pluginTools ? await deps.pluginTools(access) : [];
      const tools = createCatalogue(policy, { role: access.role, platform: true, extra });
      return { tools, policy };
    },
    contextFor: (access) => contextFor(deps, reachable, access),
    async close() {
      clear();
    },
  };
}
