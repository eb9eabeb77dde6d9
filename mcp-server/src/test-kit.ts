import type { AirtableGateway } from '@airsuite/airtable-gateway';
import { defineTool, type ToolDefinition, ToolError } from '@airsuite/tools';
import { z } from 'zod';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** Test-only tools: independent of what the real catalogue holds today. */
export function testTools(hooks: { onSignal?: (signal: AbortSignal) => void } = {}): ToolDefinition[] {
  return [
    defineTool({
      name: 'echo_text',
      title: 'Echo text',
      description: 'Returns its input.',
      inputSchema: z.object({ text: z.string() }),
      outputSchema: z.object({ text: z.string(), length: z.number().int() }),
      annotations: readOnly,
      writes: false,
      handler: async ({ text }) => ({ text, length: text.length }),
      render: (out) => `echo: ${out.text}`,
    }),
    defineTool({
      name: 'fail_politely',
      title: 'Fail politely',
      description: 'Always throws a ToolError.',
      inputSchema: z.object({}),
      outputSchema: z.object({ ok: z.boolean() }),
      annotations: readOnly,
      writes: false,
      handler: async () => {
        throw new ToolError('TOOL_UNKNOWN_BASE', 'No such base.', { validBases: ['appA'] });
      },
    }),
    defineTool({
      name: 'crash_badly',
      title: 'Crash badly',
      description: 'Throws a plain Error carrying a secret.',
      inputSchema: z.object({}),
      outputSchema: z.object({ ok: z.boolean() }),
      annotations: readOnly,
      writes: false,
      handler: async () => {
        throw new Error('boom with patSECRET123');
      },
    }),
    defineTool({
      name: 'count_slowly',
      title: 'Count slowly',
      description: 'Reports progress each step; honours cancellation.',
      inputSchema: z.object({ steps: z.number().int().min(1), delayMs: z.number().int().min(0) }),
      outputSchema: z.object({ done: z.number().int() }),
      annotations: readOnly,
      writes: false,
      handler: async ({ steps, delayMs }, ctx) => {
        hooks.onSignal?.(ctx.signal);
        ctx.log('info', 'counting', { steps });
        for (let i = 1; i <= steps; i++) {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (ctx.signal.aborted) throw new ToolError('TOOL_CANCELLED', 'Cancelled.');
          ctx.progress({ progress: i, total: steps, message: `step ${i}` });
          ctx.progress({ progress: i - 0.5 }); // not increasing: must be dropped
        }
        return { done: steps };
      },
    }),
    defineTool({
      name: 'delete_everything',
      title: 'Delete everything',
      description: 'A write tool (never actually run).',
      inputSchema: z.object({}),
      outputSchema: z.object({ deleted: z.number().int() }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
      writes: true,
      handler: async () => ({ deleted: 0 }),
    }),
  ] as ToolDefinition[];
}

/** An Airtable client stub answering just the metadata calls the resources use. */
export function stubAirtable(): AirtableGateway {
  const stub: Partial<AirtableGateway> = {
    listBases: async () => [
      { id: 'appOne', name: 'One', permissionLevel: 'create' },
      { id: 'appTwo', name: 'Two', permissionLevel: 'read' },
    ],
    getBaseSchema: async () => ({
      tables: [
        { id: 'tblA', name: 'Tasks', primaryFieldId: 'fldA', fields: [], views: [] },
        { id: 'tblB', name: 'People', primaryFieldId: 'fldB', fields: [], views: [] },
      ] as never,
    }),
  };
  return stub as AirtableGateway;
}
