import {
  createCatalogue,
  defineTool,
  OPEN_POLICY,
  platformTools,
  runTool,
  type SafetyPolicy,
  type ToolDefinition,
} from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CallToolResultSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMcpServer } from './create-mcp-server.ts';
import { INTERNAL_TOOL_ERROR } from './register-tools.ts';
import { stubAirtable, testTools } from './test-kit.ts';

async function connect(
  options: { tools?: ToolDefinition[]; policy?: SafetyPolicy; onSignal?: (s: AbortSignal) => void } = {},
) {
  const internalErrors: unknown[] = [];
  const server = createMcpServer({
    tools: options.tools ?? [...createCatalogue(options.policy ?? OPEN_POLICY), ...testTools(options)],
    policy: options.policy ?? OPEN_POLICY,
    contextFor: () => ({ airtable: stubAirtable(), caller: { id: 'test' } }),
    onInternalError: (error) => internalErrors.push(error),
  });
  const client = new Client({ name: 'test', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, server, internalErrors };
}

describe('createMcpServer over an in-memory transport', () => {
  it('lists every catalogue tool with schemas and annotations', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const expected = [...createCatalogue(OPEN_POLICY), ...testTools()];
    expect(tools.map((t) => t.name).sort()).toEqual(expected.map((t) => t.name).sort());
    for (const tool of tools) {
      const definition = expected.find((t) => t.name === tool.name)!;
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.title).toBe(definition.title);
      // Hints equal to MCP's defaults are left out of the listing; read with the defaults, they match.
      const a = tool.annotations ?? {};
      expect(a.readOnlyHint ?? false).toBe(definition.annotations.readOnlyHint);
      if (!definition.annotations.readOnlyHint) {
        expect(a.destructiveHint ?? true).toBe(definition.annotations.destructiveHint);
      }
      expect(a.idempotentHint ?? false).toBe(definition.annotations.idempotentHint);
      expect(a.openWorldHint ?? true).toBe(definition.annotations.openWorldHint);
    }
    expect(client.getServerVersion()?.name).toBe('airsuite');
  });

  // 14,000 for the 17 Airtable tools; idempotency keys and the two operation tools (about
  // 2,000 together) are worth what they cost: they let a model recover a cut-short write.
  // upload_attachment adds 800 (it lists 798). Describing the parameters a model could guess
  // wrong (the evals' catalogue check) adds about 80: most words moved from the tools' descriptions.
  it('keeps the whole Airtable catalogue under 16,900 characters of tools/list', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const catalogue = new Set(createCatalogue(OPEN_POLICY).map((t) => t.name));
    const listed = tools.filter((t) => catalogue.has(t.name));
    expect(listed).toHaveLength(catalogue.size);
    expect(JSON.stringify({ tools: listed }).length).toBeLessThan(16_900);
  });

  // The account tools list 3,650; the eight webhook tools (admins only) 7,690: each
  // says its limits (URL rules, event patterns, the secret shown once), which a model needs.
  // The four plugin tools 3,610 (install_plugin says publishing is REST's or the CLI's).
  it('keeps the platform tools under 15,100 characters of tools/list', async () => {
    const { client } = await connect({ tools: createCatalogue(OPEN_POLICY, { platform: true }) });
    const { tools } = await client.listTools();
    const platform = new Set(platformTools.map((t) => t.name));
    const listed = tools.filter((t) => platform.has(t.name));
    expect(listed).toHaveLength(platform.size);
    expect(JSON.stringify({ tools: listed }).length).toBeLessThan(15_100);
  });

  it('returns structuredContent (validated by the client) and the compact rendering', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'echo_text', arguments: { text: 'hello' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ text: 'hello', length: 5 });
    expect(result.content).toEqual([{ type: 'text', text: 'echo: hello' }]);
  });

  it('turns a ToolError into an isError result carrying its code', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'fail_politely', arguments: {} });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]?.text).toMatch(/^TOOL_UNKNOWN_BASE: /);
    expect(result._meta).toEqual({
      airsuite: { code: 'TOOL_UNKNOWN_BASE', details: { validBases: ['appA'] } },
    });
  });

  it('hides unexpected errors behind a generic message and reports them to the operator', async () => {
    const { client, internalErrors } = await connect();
    const result = await client.callTool({ name: 'crash_badly', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: INTERNAL_TOOL_ERROR }]);
    expect(JSON.stringify(result)).not.toContain('SECRET');
    expect(result._meta).toEqual({ airsuite: { code: 'TOOL_INTERNAL_ERROR' } });
    expect(internalErrors).toHaveLength(1);
  });

  it('sends increasing progress notifications and logging notifications', async () => {
    const { client } = await connect();
    const logs: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'count_slowly', arguments: { steps: 3, delayMs: 1 } },
      undefined,
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    expect(result.structuredContent).toEqual({ done: 3 });
    expect(progress).toEqual([1, 2, 3]);
    expect(logs).toContainEqual({
      level: 'info',
      logger: 'count_slowly',
      data: { message: 'counting', steps: 3 },
    });
  });

  it('honours logging/setLevel', async () => {
    const { client } = await connect();
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'count_slowly', arguments: { steps: 1, delayMs: 0 } });
    expect(logs).toEqual([]);
  });

  it('passes cancellation through to ctx.signal', async () => {
    let seen: AbortSignal | undefined;
    const { client } = await connect({ onSignal: (s) => (seen = s) });
    const controller = new AbortController();
    const call = client.callTool(
      { name: 'count_slowly', arguments: { steps: 100, delayMs: 20 } },
      undefined,
      {
        signal: controller.signal,
      },
    );
    while (!seen) await new Promise((r) => setTimeout(r, 5));
    controller.abort('user changed their mind');
    await expect(call).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.aborted).toBe(true);
  });

  it('lists and reads base schemas as resources, filtered by policy', async () => {
    const policy: SafetyPolicy = { readOnly: false, allowedBases: ['appOne'], allowedTables: ['Tasks'] };
    const { client } = await connect({ policy });
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['airtable://bases/{baseId}/schema']);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['airtable://bases/appOne/schema']);
    const read = await client.readResource({ uri: 'airtable://bases/appOne/schema' });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text).tables.map((t: { name: string }) => t.name)).toEqual(['Tasks']);
    await expect(client.readResource({ uri: 'airtable://bases/appTwo/schema' })).rejects.toMatchObject({
      code: -32602,
    });
  });

  it('lists prompts and fills their arguments', async () => {
    const { client } = await connect();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'clean_up_duplicates',
      'explore_base',
      'summarise_recent_changes',
    ]);
    const prompt = await client.getPrompt({
      name: 'clean_up_duplicates',
      arguments: { baseId: 'appOne', table: 'Tasks' },
    });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toContain('appOne');
    expect(text).toContain('"Tasks"');
  });

  it('does not even list write tools in a read-only deployment', async () => {
    const policy: SafetyPolicy = { readOnly: true };
    const { client } = await connect({ policy, tools: [...createCatalogue(policy), ...testTools()] });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('delete_everything');
    expect(tools.map((t) => t.name)).toContain('echo_text');
    for (const tool of createCatalogue({ readOnly: false }).filter((t) => t.writes)) {
      expect(tools.map((t) => t.name)).not.toContain(tool.name);
    }
  });
});

describe("createMcpServer: arguments that fail the schema are the model's to fix (SEP-1303)", () => {
  const listRecords = createCatalogue(OPEN_POLICY).find((t) => t.name === 'list_records')!;
  const airsuite = (result: Record<string, unknown>) =>
    (result._meta as { airsuite?: { code?: string; details?: { issues?: { path: string }[] } } })?.airsuite;

  it('answers them with an isError result carrying TOOL_INVALID_INPUT and the issues REST gets', async () => {
    const { client } = await connect();
    const input = { base_id: 'appOne', table: 'Tasks', page_size: 0 };
    const result = await client.callTool({ name: 'list_records', arguments: input });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]?.text).toMatch(/^TOOL_INVALID_INPUT: /);
    // REST and chat run the same runTool: the code and the issue list are the same.
    const rest = await runTool(listRecords, input, {
      airtable: stubAirtable(),
      caller: { id: 'rest' },
      policy: OPEN_POLICY,
      progress: () => {},
      log: () => {},
      signal: new AbortController().signal,
    });
    expect(rest.ok).toBe(false);
    expect(result._meta).toEqual({
      airsuite: { code: 'TOOL_INVALID_INPUT', details: !rest.ok && rest.details },
    });
    expect(airsuite(result)?.details?.issues?.map((i) => i.path)).toEqual(['page_size']);
  });

  it('reads missing and null arguments as none: a tool that needs some lists what is missing', async () => {
    const { client } = await connect();
    const missing = await client.callTool({ name: 'list_records' });
    const nulled = await client.request(
      { method: 'tools/call', params: { name: 'list_records', arguments: null } } as never,
      CallToolResultSchema,
    );
    for (const result of [missing, nulled]) {
      expect(result.isError).toBe(true);
      expect(airsuite(result)?.code).toBe('TOOL_INVALID_INPUT');
      expect(airsuite(result)?.details?.issues?.map((i) => i.path)).toEqual(['base_id', 'table']);
    }
    const none = await client.request(
      { method: 'tools/call', params: { name: 'list_bases', arguments: null } } as never,
      CallToolResultSchema,
    );
    expect(none.isError).toBeFalsy();
  });

  it('validates arguments once, in runTool, not in the SDK as well', async () => {
    let parsed = 0;
    const counted = defineTool({
      name: 'count_parses',
      title: 'Count parses',
      description: 'Counts how often its input is parsed.',
      inputSchema: z.object({
        n: z.preprocess((value) => {
          parsed++;
          return value;
        }, z.number()),
      }),
      outputSchema: z.object({ n: z.number() }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      writes: false,
      handler: async ({ n }) => ({ n }),
    });
    const { client } = await connect({ tools: [counted as unknown as ToolDefinition] });
    expect((await client.callTool({ name: 'count_parses', arguments: { n: 1 } })).isError).toBeFalsy();
    expect(parsed).toBe(1);
    expect((await client.callTool({ name: 'count_parses', arguments: { n: 'one' } })).isError).toBe(true);
    expect(parsed).toBe(2);
  });

  it('answers a tool it does not serve with a protocol error (-32602), as the spec asks', async () => {
    const { client } = await connect();
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toMatchObject({
      code: -32602,
    });
  });
});

describe('createMcpServer with no tools', () => {
  it('still answers tools/list', async () => {
    const { client } = await connect({ tools: [] });
    expect((await client.listTools()).tools).toEqual([]);
  });
});
