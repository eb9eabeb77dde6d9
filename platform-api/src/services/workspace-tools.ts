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
import { actorOf, type WorkspaceAccess } from '../principal.ts';
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
  catalogueFor(access: WorkspaceAccess): { tools: ToolDefinition[]; policy: SafetyPolicy };
  /** The Airtable client (the workspace's connections, routed by base), the caller and the platform port. */
  contextFor(
    access: WorkspaceAccess,
  ): Promise<Pick<ToolContext, 'airtable' | 'caller' | 'platform' | 'policy' | 'operations' | 'onOutcome'>>;
  close(): Promise<void>;
}

export interface WorkspaceToolsDeps extends PlatformPortDeps {
  engine: GatewayEngine;
  connections: Connections;
  audit: AuditLog;
  operations: OperationLog;
  /** The deployment's own limits (AIRSUITE_READ_ONLY …), applied on top of every role. */
  deploymentPolicy: SafetyPolicy;
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

export function createWorkspaceTools(deps: WorkspaceToolsDeps): WorkspaceTools {
  // A client is a plain, stateless object over the engine: made per call, nothing to cache.
  const clientFor = (token: string): AirtableGateway => createAirtableGateway({ engine: deps.engine, token });

  /** The bases an unlimited connection reaches, kept a minute (each look costs a listBases). */
  const reachableCache = new LRUCache<string, { bases: Promise<ReadonlySet<string>> }>({
    max: MAX_REACHABLE_CONNECTIONS,
    ttl: REACHABLE_TTL_MS,
  });
  function reachable(route: ConnectionRoute): Promise<ReadonlySet<string>> {
    const cached = reachableCache.get(route.id);
    if (cached) return cached.bases;
    const bases = route.client.listBases().then((list) => new Set(list.map((base) => base.id)));
    reachableCache.set(route.id, { bases });
    // A failed look is not kept: the next call asks again.
    bases.catch(() => reachableCache.delete(route.id));
    return bases;
  }

  function policyFor(access: WorkspaceAccess, bases?: readonly string[]): SafetyPolicy {
    const base = deps.deploymentPolicy;
    const allowedBases =
      bases && base.allowedBases
        ? bases.filter((b) => base.allowedBases?.includes(b))
        : (bases ?? base.allowedBases);
    return {
      readOnly: base.readOnly || access.role === 'viewer',
      ...(allowedBases ? { allowedBases } : {}),
      ...(base.allowedTables ? { allowedTables: base.allowedTables } : {}),
    };
  }

  /** Every call's one audit row, from its outcome: refusals and invalid input included. */
  function auditFor(access: WorkspaceAccess): NonNullable<ToolContext['onOutcome']> {
    return ({ tool, outcome, input, durationMs, requestId }) =>
      deps.audit.record({
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'tool.call',
        target: { type: 'tool', id: tool },
        outcome: outcome.ok ? 'success' : DENIALS.has(outcome.code) ? 'denied' : 'failure',
        ...(outcome.ok ? {} : { errorCode: outcome.code }),
        durationMs,
        ...(requestId ? { requestId } : {}),
        details: { tool, arguments: summariseArguments(input) as Record<string, unknown> },
      });
  }

  return {
    catalogueFor(access) {
      // The connection's base list is applied per call (contextFor); listing only needs role and deployment.
      const policy = policyFor(access);
      const tools = createCatalogue(policy, { role: access.role, platform: true });
      return { tools, policy };
    },

    async contextFor(access) {
      const secrets = await deps.connections.secretsFor(access.workspaceId);
      const routes = secrets.map((secret) => ({
        id: secret.id,
        client: clientFor(secret.token),
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
        policy: policyFor(access, basesOf(secrets)),
        operations: deps.operations.storeFor(access),
        onOutcome: auditFor(access),
      };
    },

    async close() {
      reachableCache.clear();
    },
  };
}
