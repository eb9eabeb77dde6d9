import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { pluginNameInput, requirePlugins } from './plugin-shared.ts';

export const runPluginFunctionTool = defineTool({
  name: 'run_plugin_function',
  title: 'Run plugin function',
  description:
    "Runs a function of an installed, enabled plugin (list_plugins) with input checked against the function's input schema; returns its JSON output. Any member may run a read-only function, editors and above the rest, as with its own tool plugin_<name>_<function>.",
  inputSchema: z.object({
    plugin: pluginNameInput,
    function: z.string().min(1).max(64).describe('a function name from list_plugins'),
    input: z.record(z.string(), z.unknown()).default({}).describe("the function's input object"),
  }),
  outputSchema: z.object({ output: z.unknown() }),
  // What a function does is the plugin's: assume the worst, as MCP's defaults do.
  annotations: {
    title: 'Run plugin function',
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
  // Plugins reach Airtable only through host calls the runtime checks, as their own tools.
  writes: false,
  platform: true,
  // The function's own role is the platform's to check: viewers run only read-only functions.
  minimumRole: 'viewer',
  async handler(input, ctx) {
    const output = await requirePlugins(ctx).run(input.plugin, input.function, input.input, {
      signal: ctx.signal,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    });
    return { output };
  },
});
