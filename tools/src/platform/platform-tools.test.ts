import type { AirtableGateway } from '@airsuite/airtable-gateway';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ToolDefinition } from '../core/define-tool.ts';
import type { PlatformAuditQuery, PlatformPort } from '../core/platform-port.ts';
import { effectiveMinimumRole } from '../core/roles.ts';
import { runTool } from '../core/run-tool.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { platformTools } from '../platform-tools.ts';
import { listAuditEventsTool } from './list-audit-events.ts';
import { listConnectionsTool } from './list-connections.ts';
import { listMembersTool } from './list-members.ts';
import { listWorkspacesTool } from './list-workspaces.ts';
import { whoamiTool } from './whoami.ts';

/** A connection as a careless port might hand it over: with its token. It must still not leak. */
const leakyConnection = {
  id: 'conn_1',
  name: 'Main',
  tokenHint: 'pat…a1b2',
  createdAt: '2025-01-01T00:00:00.000Z',
  isDefault: true,
  token: 'patSECRET',
};

/**
 * A fixed-data port: the real one (scoped to a caller, backed by the database) lives in
 * platform-api and is tested there. It records the audit queries it receives.
 */
function fixedPort(
  overrides: Partial<PlatformPort> = {},
): PlatformPort & { auditQueries: PlatformAuditQuery[] } {
  const auditQueries: PlatformAuditQuery[] = [];
  return {
    auditQueries,
    whoami: async () => ({
      user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' },
      workspace: { id: 'ws_1', name: 'Acme' },
      role: 'admin',
      authenticatedWith: 'access_token',
    }),
    listWorkspaces: async () => [
      { id: 'ws_1', name: 'Acme', role: 'admin', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'ws_2', name: 'Side', role: 'viewer', createdAt: '2025-02-01T00:00:00.000Z' },
    ],
    listMembers: async () => [
      {
        userId: 'usr_1',
        email: 'ada@example.com',
        name: 'Ada',
        role: 'admin',
        joinedAt: '2025-01-01T00:00:00.000Z',
      },
      { userId: 'usr_2', email: 'bob@example.com', role: 'viewer', joinedAt: '2025-01-02T00:00:00.000Z' },
    ],
    listConnections: async () => [
      leakyConnection,
      {
        id: 'conn_2',
        name: 'Sales only',
        tokenHint: 'pat…c3d4',
        bases: ['appSales'],
        createdAt: '2025-01-03T00:00:00.000Z',
        isDefault: false,
      },
    ],
    async listAuditEvents(query) {
      auditQueries.push(query);
      return {
        events: [
          {
            id: 'evt_2',
            at: '2025-03-02T10:00:00.000Z',
            action: 'tool.call',
            actor: { type: 'api_key', id: 'key_1', label: 'CI' },
            target: { type: 'tool', id: 'delete_records' },
            outcome: 'denied',
            errorCode: 'TOOL_NOT_ALLOWED',
            durationMs: 3,
          },
          {
            id: 'evt_1',
            at: '2025-03-01T10:00:00.000Z',
            action: 'member.invite',
            actor: { type: 'user', id: 'usr_1' },
            outcome: 'success',
            details: { email: 'bob@example.com' },
          },
        ],
        nextCursor: 'c2',
      };
    },
    ...overrides,
  };
}

function context(platform?: PlatformPort): ToolContext {
  return {
    airtable: new Proxy({} as AirtableGateway, {
      get() {
        throw new Error('platform tools must not touch Airtable');
      },
    }),
    caller: { id: 'usr_1', role: 'owner', workspaceId: 'ws_1' },
    ...(platform ? { platform } : {}),
    policy: { readOnly: false },
    progress: () => {},
    signal: new AbortController().signal,
    log: () => {},
  };
}

/** Parses the input, runs the handler, and checks the output against the tool's output schema. */
async function call<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
  input: z.input<I>,
  platform: PlatformPort = fixedPort(),
): Promise<z.output<O>> {
  const output = await tool.handler(tool.inputSchema.parse(input), context(platform));
  expect(tool.outputSchema.safeParse(output).success).toBe(true);
  return output;
}

/** The tools about the account itself; the webhook and plugin tools have specs of their own. */
const accountTools = platformTools.filter((t) => !t.name.includes('webhook') && !t.name.includes('plugin'));

describe('platform tools', () => {
  it('are the account tools, then the webhook tools, then the plugin tools', () => {
    expect(platformTools.map((t) => t.name)).toEqual([
      'whoami',
      'list_workspaces',
      'list_members',
      'list_connections',
      'list_audit_events',
      'list_webhook_event_types',
      'list_webhooks',
      'create_webhook',
      'update_webhook',
      'delete_webhook',
      'list_webhook_deliveries',
      'replay_webhook_delivery',
      'send_test_webhook',
      'list_plugins',
      'install_plugin',
      'set_plugin_enabled',
      'run_plugin_function',
    ]);
  });

  it('about the account are read-only, platform-only, and never touch Airtable', () => {
    for (const tool of accountTools) {
      expect(tool.writes).toBe(false);
      expect(tool.platform).toBe(true);
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      });
      expect(effectiveMinimumRole(tool)).toBe(tool.name === 'list_audit_events' ? 'admin' : 'viewer');
    }
  });

  it('whoami says who the caller is, where, with which role, and how', async () => {
    const out = await call(whoamiTool, {});
    expect(out).toEqual({
      user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' },
      workspace: { id: 'ws_1', name: 'Acme' },
      role: 'admin',
      authenticated_with: 'access_token',
    });
    expect(whoamiTool.render!(out)).toBe(
      'Ada <ada@example.com> (user usr_1), authenticated with access_token\nWorkspace: Acme (ws_1), role admin',
    );
  });

  it('whoami describes an API key', async () => {
    const port = fixedPort({
      whoami: async () => ({
        apiKey: { id: 'key_1', name: 'CI' },
        workspace: { id: 'ws_1', name: 'Acme' },
        role: 'editor',
        authenticatedWith: 'api_key',
      }),
    });
    const out = await call(whoamiTool, {}, port);
    expect(out).toEqual({
      api_key: { id: 'key_1', name: 'CI' },
      workspace: { id: 'ws_1', name: 'Acme' },
      role: 'editor',
      authenticated_with: 'api_key',
    });
    expect(whoamiTool.render!(out)).toContain('API key "CI" (key_1)');
  });

  it('list_workspaces lists the caller workspaces with their role', async () => {
    const out = await call(listWorkspacesTool, {});
    expect(out.workspaces).toEqual([
      { id: 'ws_1', name: 'Acme', role: 'admin', created_at: '2025-01-01T00:00:00.000Z' },
      { id: 'ws_2', name: 'Side', role: 'viewer', created_at: '2025-02-01T00:00:00.000Z' },
    ]);
    expect(listWorkspacesTool.render!(out)).toBe('ws_1 Acme (admin)\nws_2 Side (viewer)');
    expect(listWorkspacesTool.render!({ workspaces: [] })).toBe('No workspaces.');
  });

  it('list_members lists the workspace members', async () => {
    const out = await call(listMembersTool, {});
    expect(out.members).toEqual([
      {
        user_id: 'usr_1',
        email: 'ada@example.com',
        name: 'Ada',
        role: 'admin',
        joined_at: '2025-01-01T00:00:00.000Z',
      },
      { user_id: 'usr_2', email: 'bob@example.com', role: 'viewer', joined_at: '2025-01-02T00:00:00.000Z' },
    ]);
    expect(listMembersTool.render!(out)).toBe(
      'usr_1 Ada <ada@example.com> (admin)\nusr_2 bob@example.com (viewer)',
    );
  });

  it('list_connections gives only a token hint, never a token', async () => {
    const out = await call(listConnectionsTool, {});
    expect(out.connections).toEqual([
      {
        id: 'conn_1',
        name: 'Main',
        token_hint: 'pat…a1b2',
        created_at: '2025-01-01T00:00:00.000Z',
        is_default: true,
      },
      {
        id: 'conn_2',
        name: 'Sales only',
        token_hint: 'pat…c3d4',
        bases: ['appSales'],
        created_at: '2025-01-03T00:00:00.000Z',
        is_default: false,
      },
    ]);
    const text = listConnectionsTool.render!(out);
    expect(text).toBe(
      'conn_1 Main pat…a1b2 [default] bases: all\nconn_2 Sales only pat…c3d4 bases: appSales',
    );
    expect(JSON.stringify(out) + text).not.toContain('SECRET');
  });

  it('list_audit_events maps the query to the port and the events back', async () => {
    const port = fixedPort();
    const out = await call(
      listAuditEventsTool,
      {
        limit: 10,
        cursor: 'c1',
        action: 'tool.call',
        actor_id: 'key_1',
        outcome: 'denied',
        since: '2025-03-01T00:00:00Z',
        until: '2025-03-03T00:00:00+02:00',
      },
      port,
    );
    expect(port.auditQueries).toEqual([
      {
        limit: 10,
        cursor: 'c1',
        action: 'tool.call',
        actorId: 'key_1',
        outcome: 'denied',
        since: '2025-03-01T00:00:00Z',
        until: '2025-03-03T00:00:00+02:00',
      },
    ]);
    expect(out).toEqual({
      events: [
        {
          id: 'evt_2',
          at: '2025-03-02T10:00:00.000Z',
          action: 'tool.call',
          actor: { type: 'api_key', id: 'key_1', label: 'CI' },
          target: { type: 'tool', id: 'delete_records' },
          outcome: 'denied',
          error_code: 'TOOL_NOT_ALLOWED',
          duration_ms: 3,
        },
        {
          id: 'evt_1',
          at: '2025-03-01T10:00:00.000Z',
          action: 'member.invite',
          actor: { type: 'user', id: 'usr_1' },
          outcome: 'success',
          details: { email: 'bob@example.com' },
        },
      ],
      next_cursor: 'c2',
    });
    expect(listAuditEventsTool.render!(out)).toBe(
      [
        '2025-03-02T10:00:00.000Z tool.call by api_key:key_1 (CI) on tool:delete_records: denied TOOL_NOT_ALLOWED',
        '2025-03-01T10:00:00.000Z member.invite by user:usr_1: success',
        'More: cursor c2',
      ].join('\n'),
    );
  });

  it('list_audit_events defaults the limit to 25 and sends no absent filters', async () => {
    const port = fixedPort();
    await call(listAuditEventsTool, {}, port);
    expect(port.auditQueries).toEqual([{ limit: 25 }]);
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 101', { limit: 101 }],
    ['limit 2.5', { limit: 2.5 }],
    ['since yesterday', { since: 'yesterday' }],
    ['until a bare date', { until: '2025-03-01' }],
    ['an unknown outcome', { outcome: 'maybe' }],
  ])('list_audit_events rejects %s', (_label, input) => {
    expect(listAuditEventsTool.inputSchema.safeParse(input).success).toBe(false);
  });

  it('names the offending field when run through runTool', async () => {
    const outcome = await runTool(
      listAuditEventsTool,
      { limit: 0, since: 'yesterday' },
      context(fixedPort()),
    );
    expect(outcome).toMatchObject({ ok: false, code: 'TOOL_INVALID_INPUT' });
    if (outcome.ok) return;
    const issues = outcome.details?.issues as { path: string }[];
    expect(issues.map((i) => i.path)).toEqual(['limit', 'since']);
  });

  it.each(accountTools.map((t) => [t.name, t] as const))(
    '%s passes the port ToolError through',
    async (_name, tool) => {
      const denied = async () => {
        throw new ToolError('TOOL_NOT_ALLOWED', 'Admins only.', { requiredRole: 'admin' });
      };
      const port = fixedPort({
        whoami: denied,
        listWorkspaces: denied,
        listMembers: denied,
        listConnections: denied,
        listAuditEvents: denied,
      });
      const outcome = await runTool(tool, {}, context(port));
      expect(outcome).toEqual({
        ok: false,
        code: 'TOOL_NOT_ALLOWED',
        message: 'Admins only.',
        details: { requiredRole: 'admin' },
      });
    },
  );

  it.each(accountTools.map((t) => [t.name, t] as const))(
    '%s is TOOL_UNAVAILABLE without a platform',
    async (_name, tool) => {
      const outcome = await runTool(tool, {}, context());
      expect(outcome).toMatchObject({ ok: false, code: 'TOOL_UNAVAILABLE' });
    },
  );
});
