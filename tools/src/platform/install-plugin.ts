import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import type { PlatformPluginInstall } from '../core/platform-port.ts';
import { pluginJson, pluginNameInput, pluginOutput, renderPlugin, requirePlugins } from './plugin-shared.ts';

export const installPluginTool = defineTool({
  name: 'install_plugin',
  title: 'Install plugin',
  description:
    'Installs a published version of a plugin in the current workspace, enabled (admins); its functions become tools. A name is installed once. Publishing the module is not a tool: it happens over REST (POST /v1/workspaces/{id}/plugin-versions) or, later, the CLI. config: string settings the plugin reads. Returns the plugin.',
  inputSchema: z.object({
    name: pluginNameInput,
    version: z.string().min(1).max(100).describe('a published version, e.g. "1.2.0"'),
    config: z.record(z.string(), z.string()).optional().describe('settings the plugin reads'),
  }),
  outputSchema: z.object({ plugin: pluginOutput }),
  annotations: {
    title: 'Install plugin',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const request: PlatformPluginInstall = { name: input.name, version: input.version };
    if (input.config !== undefined) request.config = input.config;
    const plugin = await requirePlugins(ctx).install(request, ctx.requestId);
    return { plugin: pluginJson(plugin) };
  },
  render: (out) => `Installed ${renderPlugin(out.plugin)}`,
});
