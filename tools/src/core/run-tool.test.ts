import type { AirtableGateway } from '@airsuite/airtable-gateway';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ToolAnnotations, type ToolDefinition } from './define-tool.ts';
import type { WorkspaceRole } from './platform-port.ts';
import type { SafetyPolicy } from './policy.ts';
import { INTERNAL_TOOL_ERROR_MESSAGE, runTool } from './run-tool.ts';
import type { ToolContext } from './tool-context.ts';
import { ToolError } from './tool-error.ts';

const readOnly: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const echoTool = defineTool({
  name: 'echo_text',
  title: 'Echo text',
  description: 'Returns its input.',
  inputSchema: z.object({
    text: z.string(),
    limit: z.number().int().min(1).max(100).default(25),
    since: z.iso.datetime().optional(),
  }),
  outputSchema: z.object({ text: z.string(), limit: z.number() }),
  annotations: readOnly,
  writes: false,
  handler: async ({ text, limit }) => ({ text, limit }),
  render: (out) => `echo: ${out.text} (${out.limit})`,
});

const plainTool = defineTool({
  name: 'plain_tool',
  title: 'Plain',
  description: 'No render.',
  inputSchema: z.object({}),
  outputSchema: z.object({ n: z.number() }),
  annotations: readOnly,
  writes: false,
  handler: async () => ({ n: 1 }),
});

const writeTool = defineTool({
  name: 'write_thing',
  title: 'Write',
  description: 'A write tool.',
  inputSchema: z.object({}),
  outputSchema: z.object({ done: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  writes: true,
  handler: async () => ({ done: true }),
});

const adminTool = defineTool({ ...plainTool, name: 'admin_thing', minimumRole: 'admin' });

function failingTool(error: unknown) {
  return defineTool({
    ...plainTool,
    name: 'failing_tool',
    handler: async () => {
      throw error;
    },
  });
}

function context(
  options: { policy?: SafetyPolicy; role?: WorkspaceRole; signal?: AbortSignal } = {},
): ToolContext {
  return {
    airtable: {} as AirtableGateway, // these tools never touch Airtable
    caller: { id: 'usr_1', ...(options.role ? { role: options.role } : {}) },
    policy: options.policy ?? { readOnly: false },
    progress: () => {},
    signal: options.signal ?? new AbortController().signal,
    log: () => {},
  };
}

describe('runTool', () => {
  it('returns the output (defaults applied) and its rendering', async () => {
    const outcome = await runTool(echoTool, { text: 'hi' }, context());
    expect(outcome).toEqual({ ok: true, output: { text: 'hi', limit: 25 }, text: 'echo: hi (25)' });
  });

  it('renders as JSON when the tool has no render', async () => {
    const outcome = await runTool(plainTool, {}, context());
    expect(outcome).toEqual({ ok: true, output: { n: 1 }, text: '{"n":1}' });
  });

  it('rejects invalid input with TOOL_INVALID_INPUT, naming each field', async () => {
    const outcome = await runTool(echoTool, { text: 3, limit: 0, since: 'yesterday' }, context());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe('TOOL_INVALID_INPUT');
    const issues = outcome.details?.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual(['text', 'limit', 'since']);
    for (const issue of issues) expect(outcome.message).toContain(`${issue.path}: ${issue.message}`);
  });

  it('refuses an argument the tool does not take, naming it (zod alone would drop it unseen)', async () => {
    let ran = false;
    const tool = defineTool({
      ...echoTool,
      handler: async (input) => {
        ran = true;
        return input;
      },
    });
    const outcome = await runTool(tool, { text: 'hi', colour: 'red' }, context());
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      details: { issues: [{ path: 'colour' }] },
    });
    expect(ran).toBe(false);
    expect((await runTool(plainTool, { unexpected: 1 }, context())).ok).toBe(false);
  });

  it('tells a caller who wrapped the input in "arguments" to send it unwrapped, with the other issues', async () => {
    const outcome = await runTool(echoTool, { arguments: { text: 'hi' } }, context());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe('TOOL_INVALID_INPUT');
    const issues = outcome.details?.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual(['arguments', 'text']);
    expect(issues[0]?.message).toContain('not wrapped in "arguments"');
  });

  it('leaves unknown keys to a schema that decides on them itself', async () => {
    const loose = defineTool({ ...plainTool, name: 'loose_tool', inputSchema: z.looseObject({}) });
    expect((await runTool(loose, { anything: 1 }, context())).ok).toBe(true);
  });

  it('names the whole input when it is not an object', async () => {
    const outcome = await runTool(echoTool, 'hello', context());
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      details: { issues: [{ path: '' }] },
    });
  });

  it('refuses a write tool in a read-only deployment, without running it', async () => {
    const outcome = await runTool(writeTool, {}, context({ policy: { readOnly: true } }));
    expect(outcome).toMatchObject({ ok: false, code: 'TOOL_READ_ONLY' });
  });

  const byName: Record<'write_thing' | 'admin_thing' | 'plain_tool', ToolDefinition> = {
    write_thing: writeTool,
    admin_thing: adminTool,
    plain_tool: plainTool,
  };
  it.each([
    ['viewer', 'write_thing', false],
    ['editor', 'write_thing', true],
    ['editor', 'admin_thing', false],
    ['admin', 'admin_thing', true],
    ['owner', 'admin_thing', true],
    ['viewer', 'plain_tool', true],
  ] as const)('as %s, calling %s is allowed: %s', async (role, name, allowed) => {
    const outcome = await runTool(byName[name], {}, context({ role }));
    if (allowed) expect(outcome.ok).toBe(true);
    else expect(outcome).toMatchObject({ ok: false, code: 'TOOL_NOT_ALLOWED' });
  });

  it('checks the role before the input', async () => {
    const outcome = await runTool(adminTool, 'not even an object', context({ role: 'viewer' }));
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_NOT_ALLOWED',
      details: { requiredRole: 'admin' },
    });
  });

  it('allows every tool when the caller has no role (standalone)', async () => {
    expect((await runTool(adminTool, {}, context())).ok).toBe(true);
    expect((await runTool(writeTool, {}, context())).ok).toBe(true);
  });

  it('passes a ToolError through with its code, message and details', async () => {
    const tool = failingTool(new ToolError('TOOL_UNKNOWN_BASE', 'No such base.', { validBases: ['appA'] }));
    const outcome = await runTool(tool, {}, context());
    expect(outcome).toEqual({
      ok: false,
      code: 'TOOL_UNKNOWN_BASE',
      message: 'No such base.',
      details: { validBases: ['appA'] },
    });
  });

  it('reports TOOL_CANCELLED when the call was aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const internal: unknown[] = [];
    const outcome = await runTool(
      failingTool(new Error('aborted')),
      {},
      context({ signal: controller.signal }),
      {
        onInternalError: (e) => internal.push(e),
      },
    );
    expect(outcome).toMatchObject({ ok: false, code: 'TOOL_CANCELLED' });
    expect(internal).toEqual([]);
  });

  it('hides an unexpected error behind TOOL_INTERNAL_ERROR and reports it to the hook', async () => {
    const error = new Error('boom with patSECRET123');
    const internal: unknown[] = [];
    const outcome = await runTool(failingTool(error), {}, context(), {
      onInternalError: (e) => internal.push(e),
    });
    expect(outcome).toEqual({ ok: false, code: 'TOOL_INTERNAL_ERROR', message: INTERNAL_TOOL_ERROR_MESSAGE });
    expect(JSON.stringify(outcome)).not.toContain('SECRET');
    expect(internal).toEqual([error]);
  });

  it('treats a render that throws as an internal error', async () => {
    const tool = defineTool({
      ...plainTool,
      render: () => {
        throw new TypeError('bad render');
      },
    });
    const outcome = await runTool(tool, {}, context());
    expect(outcome).toMatchObject({ ok: false, code: 'TOOL_INTERNAL_ERROR' });
  });
});
