import { describe, expect, it } from 'vitest';
import { createCatalogue } from '../catalogue.ts';
import type { ToolDefinition } from '../core/define-tool.ts';
import type { PlatformWebhooks } from '../core/platform-port.ts';
import { effectiveMinimumRole } from '../core/roles.ts';
import { runTool } from '../core/run-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { platformTools, webhookTools } from '../platform-tools.ts';
import { createWebhookTool, SECRET_NOTE } from './create-webhook.ts';
import { listWebhookDeliveriesTool } from './list-webhook-deliveries.ts';
import { listWebhooksTool } from './list-webhooks.ts';
import { updateWebhookTool } from './update-webhook.ts';
import {
  context,
  fakeWebhooks,
  HEADER_VALUE,
  ok,
  portWith,
  SECRET,
  VALID_INPUT,
  WEBHOOK_TOOLS,
} from './webhook-tools-kit.ts';

describe('the webhook tools', () => {
  it('are platform tools for admins that never write Airtable', () => {
    expect(webhookTools).toEqual(WEBHOOK_TOOLS);
    const first = platformTools.indexOf(webhookTools[0] as ToolDefinition);
    expect(platformTools.slice(first, first + WEBHOOK_TOOLS.length)).toEqual(WEBHOOK_TOOLS);
    for (const tool of WEBHOOK_TOOLS) {
      expect({ name: tool.name, writes: tool.writes, platform: tool.platform }).toEqual({
        name: tool.name,
        writes: false,
        platform: true,
      });
      expect(effectiveMinimumRole(tool)).toBe('admin');
      expect(Object.keys(VALID_INPUT)).toContain(tool.name);
    }
  });

  it('say which ones read, which send data out (ask first), and which deliver once more', () => {
    const hints = Object.fromEntries(
      WEBHOOK_TOOLS.map((t) => {
        const { title: _title, ...rest } = t.annotations;
        return [t.name, rest];
      }),
    );
    const read = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
    expect(hints).toEqual({
      list_webhook_event_types: read,
      list_webhooks: read,
      list_webhook_deliveries: read,
      create_webhook: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
      update_webhook: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: true,
      },
      delete_webhook: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false,
      },
      replay_webhook_delivery: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
      send_test_webhook: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    });
  });

  it('are listed for admins and owners only, and stay listed in a read-only deployment', () => {
    const names = (role: 'viewer' | 'editor' | 'admin' | 'owner', readOnly = false) =>
      createCatalogue({ readOnly }, { role, platform: true }).map((t) => t.name);
    const webhookNames = WEBHOOK_TOOLS.map((t) => t.name);
    expect(names('viewer').filter((n) => webhookNames.includes(n))).toEqual([]);
    expect(names('editor').filter((n) => webhookNames.includes(n))).toEqual([]);
    expect(names('admin')).toEqual(expect.arrayContaining(webhookNames));
    expect(names('owner', true)).toEqual(expect.arrayContaining(webhookNames));
  });

  it('refuse an editor with TOOL_NOT_ALLOWED before reading the input or calling the port', async () => {
    const webhooks = fakeWebhooks();
    for (const tool of WEBHOOK_TOOLS) {
      const outcome = await runTool(tool, VALID_INPUT[tool.name], context(portWith(webhooks), 'editor'));
      expect(outcome).toMatchObject({
        ok: false,
        code: 'TOOL_NOT_ALLOWED',
        details: { requiredRole: 'admin' },
      });
    }
    expect(webhooks.calls).toEqual([]);
  });

  it.each(WEBHOOK_TOOLS.map((t) => [t.name, t] as const))(
    '%s is TOOL_UNAVAILABLE without a platform, or a platform without webhooks',
    async (name, tool) => {
      expect(await runTool(tool, VALID_INPUT[name], context(undefined))).toMatchObject({
        ok: false,
        code: 'TOOL_UNAVAILABLE',
      });
      expect(await runTool(tool, VALID_INPUT[name], context(portWith()))).toMatchObject({
        ok: false,
        code: 'TOOL_UNAVAILABLE',
        message: 'webhooks are not available in this AirSuite deployment.',
      });
    },
  );

  it.each(WEBHOOK_TOOLS.map((t) => [t.name, t] as const))(
    "%s passes the port's ToolError through",
    async (name, tool) => {
      const refuse = async () => {
        throw new ToolError('TOOL_INVALID_INPUT', 'no webhook endpoint with this id', {
          platformCode: 'WEBHOOK_NOT_FOUND',
        });
      };
      const webhooks: PlatformWebhooks = {
        list: refuse,
        create: refuse,
        update: refuse,
        remove: refuse,
        deliveries: refuse,
        replay: refuse,
        sendTest: refuse,
        eventTypes: refuse,
      };
      expect(await runTool(tool, VALID_INPUT[name], context(portWith(webhooks)))).toEqual({
        ok: false,
        code: 'TOOL_INVALID_INPUT',
        message: 'no webhook endpoint with this id',
        details: { platformCode: 'WEBHOOK_NOT_FOUND' },
      });
    },
  );
});

describe('create_webhook', () => {
  it('sends the input to the port with the request id, and returns the secret once with the note', async () => {
    const webhooks = fakeWebhooks();
    const input = {
      url: 'https://hooks.example.com/airsuite',
      event_types: ['record.*', 'member.added'],
      description: 'CRM sync',
      headers: { Authorization: HEADER_VALUE },
    };
    const { output, text } = await ok('create_webhook', input, webhooks);
    expect(webhooks.calls).toEqual([
      {
        method: 'create',
        args: [
          {
            url: input.url,
            eventTypes: input.event_types,
            description: 'CRM sync',
            headers: { Authorization: HEADER_VALUE },
          },
          'req_1',
        ],
      },
    ]);
    expect(output).toEqual({
      webhook: {
        id: 'whk_1',
        url: 'https://hooks.example.com/airsuite',
        description: 'CRM sync',
        event_types: ['record.*'],
        header_names: ['Authorization'],
        enabled: true,
        created_at: '2025-03-01T00:00:00.000Z',
        updated_at: '2025-03-01T00:00:00.000Z',
      },
      secret: SECRET,
      secret_note: SECRET_NOTE,
    });
    expect(SECRET_NOTE).toMatch(/shown only this once/);
    expect(text).toBe(
      [
        'Created whk_1 https://hooks.example.com/airsuite [record.*] on headers: Authorization "CRM sync"',
        `Signing secret: ${SECRET}`,
        SECRET_NOTE,
      ].join('\n'),
    );
    // The secret, in the one answer meant to carry it; a header value, never.
    expect(JSON.stringify(output) + text).not.toContain(HEADER_VALUE);
  });

  it('sends no absent options', async () => {
    const webhooks = fakeWebhooks();
    await ok('create_webhook', { url: 'https://a.example.com', event_types: ['*'] }, webhooks);
    expect(webhooks.calls[0]?.args).toEqual([{ url: 'https://a.example.com', eventTypes: ['*'] }, 'req_1']);
  });

  it.each([
    ['no url', { event_types: ['*'] }, ['url']],
    ['no event types', { url: 'https://a.example.com', event_types: [] }, ['event_types']],
    [
      'a header that is not text',
      { url: 'https://a.example.com', event_types: ['*'], headers: { A: 1 } },
      ['headers.A'],
    ],
    ['an unknown argument', { url: 'https://a.example.com', event_types: ['*'], secret: 'mine' }, ['secret']],
  ])('refuses %s with TOOL_INVALID_INPUT naming the field', async (_label, input, paths) => {
    const webhooks = fakeWebhooks();
    const outcome = await runTool(createWebhookTool, input, context(portWith(webhooks)));
    expect(outcome).toMatchObject({ ok: false, code: 'TOOL_INVALID_INPUT' });
    if (outcome.ok) return;
    const issues = outcome.details?.issues as { path: string }[];
    expect(issues.map((i) => i.path)).toEqual(paths);
    expect(webhooks.calls).toEqual([]);
  });
});

describe('the other webhook tools', () => {
  it('list_webhooks shows header names and why an endpoint is off, never a secret or header value', async () => {
    const { output, text } = await ok('list_webhooks', {});
    expect(output.webhooks).toEqual([
      expect.objectContaining({ id: 'whk_1', header_names: ['Authorization'], enabled: true }),
      {
        id: 'whk_2',
        url: 'http://old.example.com/x',
        event_types: ['*'],
        header_names: [],
        enabled: false,
        disabled_reason: 'gone',
        last_error: 'HTTP 410',
        created_at: '2025-03-02T00:00:00.000Z',
        updated_at: '2025-03-03T00:00:00.000Z',
      },
    ]);
    expect(text).toBe(
      [
        'whk_1 https://hooks.example.com/airsuite [record.*] on headers: Authorization "CRM sync"',
        'whk_2 http://old.example.com/x [*] off (gone: HTTP 410)',
      ].join('\n'),
    );
    const all = JSON.stringify(output) + text;
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(HEADER_VALUE);
    expect(listWebhooksTool.render!({ webhooks: [] })).toBe('No webhooks.');
  });

  it('update_webhook sends only what changes, and refuses a call that changes nothing', async () => {
    const webhooks = fakeWebhooks();
    const { output, text } = await ok(
      'update_webhook',
      { webhook_id: 'whk_2', headers: {}, enabled: false },
      webhooks,
    );
    expect(webhooks.calls).toEqual([
      { method: 'update', args: ['whk_2', { headers: {}, enabled: false }, 'req_1'] },
    ]);
    expect(output.webhook).toMatchObject({ id: 'whk_2', enabled: false });
    expect(text).toBe('Updated whk_2 http://old.example.com/x [*] off (gone: HTTP 410)');

    const nothing = await runTool(updateWebhookTool, { webhook_id: 'whk_2' }, context(portWith(webhooks)));
    expect(nothing).toMatchObject({ ok: false, code: 'TOOL_INVALID_INPUT' });
    expect(webhooks.calls).toHaveLength(1);
  });

  it('delete_webhook names what it deleted', async () => {
    const webhooks = fakeWebhooks();
    const { output, text } = await ok('delete_webhook', { webhook_id: 'whk_1' }, webhooks);
    expect(webhooks.calls).toEqual([{ method: 'remove', args: ['whk_1', 'req_1'] }]);
    expect(output).toEqual({ deleted: 'whk_1' });
    expect(text).toBe('Deleted webhook whk_1.');
  });

  it('list_webhook_deliveries maps the query, pages with a cursor and renders one line each', async () => {
    const webhooks = fakeWebhooks();
    const { output, text } = await ok(
      'list_webhook_deliveries',
      { webhook_id: 'whk_1', state: 'dead', limit: 5, cursor: 'c1' },
      webhooks,
    );
    expect(webhooks.calls).toEqual([
      { method: 'deliveries', args: ['whk_1', { limit: 5, state: 'dead', cursor: 'c1' }] },
    ]);
    expect(output).toEqual({
      deliveries: [
        {
          id: 'msg_2',
          event_id: 'evt_2',
          event_type: 'webhook.test',
          state: 'pending',
          attempt_count: 1,
          next_attempt_at: '2025-03-05T10:00:05.000Z',
          created_at: '2025-03-05T10:00:00.000Z',
        },
        {
          id: 'msg_1',
          event_id: 'evt_1',
          event_type: 'record.created',
          state: 'dead',
          attempt_count: 8,
          last_status: 500,
          last_error: 'HTTP 500',
          created_at: '2025-03-01T10:00:00.000Z',
          finished_at: '2025-03-04T10:00:00.000Z',
        },
      ],
      next_cursor: 'c2',
    });
    expect(text).toBe(
      [
        'msg_2 webhook.test 2025-03-05T10:00:00.000Z: pending after 1 attempt, next 2025-03-05T10:00:05.000Z',
        'msg_1 record.created 2025-03-01T10:00:00.000Z: dead after 8 attempts HTTP 500 HTTP 500',
        'More: cursor c2',
      ].join('\n'),
    );
  });

  it('list_webhook_deliveries defaults the limit to 25 and rejects one above 100', async () => {
    const webhooks = fakeWebhooks();
    await ok('list_webhook_deliveries', { webhook_id: 'whk_1' }, webhooks);
    expect(webhooks.calls[0]?.args).toEqual(['whk_1', { limit: 25 }]);
    expect(listWebhookDeliveriesTool.inputSchema.safeParse({ webhook_id: 'whk_1', limit: 101 }).success).toBe(
      false,
    );
    expect(listWebhookDeliveriesTool.render!({ deliveries: [] })).toBe('No deliveries.');
  });

  it('replay_webhook_delivery and send_test_webhook pass the request id and say what happens next', async () => {
    const webhooks = fakeWebhooks();
    const replayed = await ok('replay_webhook_delivery', { delivery_id: 'msg_1' }, webhooks);
    expect(replayed.output.delivery).toMatchObject({ id: 'msg_1', state: 'pending' });
    expect(replayed.text).toMatch(/^Replaying msg_1 record\.created /);
    const tested = await ok('send_test_webhook', { webhook_id: 'whk_1' }, webhooks);
    expect(tested.output).toEqual({ event_id: 'evt_9', queued: 1 });
    expect(tested.text).toBe('Test event evt_9 queued; check list_webhook_deliveries in a few seconds.');
    expect(webhooks.calls).toEqual([
      { method: 'replay', args: ['msg_1', 'req_1'] },
      { method: 'sendTest', args: ['whk_1', 'req_1'] },
    ]);
  });

  it('list_webhook_event_types lists each type with its data fields', async () => {
    const { output, text } = await ok('list_webhook_event_types', {});
    expect(output.event_types).toEqual([
      {
        type: 'record.created',
        description: 'A record was created',
        data_fields: ['base_id', 'table_id', 'record'],
      },
      { type: 'webhook.test', description: 'Sent by send_test_webhook', data_fields: ['message'] },
    ]);
    expect(text).toBe(
      'record.created: A record was created {base_id, table_id, record}\nwebhook.test: Sent by send_test_webhook {message}',
    );
  });
});
