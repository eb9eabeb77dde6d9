import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { pluginJson, pluginNameInput, pluginOutput, renderPlugin, requirePlugins } from './plugin-shared.ts';

export const setPluginEnabledTool = defineTool({
  name: 'set_plugin_enabled',
  title: 'Enable or disable plugin',
  description:
    'Turns an installed plugin off (enabled: false: its functions and tools stop) or back on (admins). Enabling also lifts a quarantine and resets its fault count. Returns the plugin.',
  inputSchema: z.object({ name: pluginNameInput, enabled: z.boolean() }),
  outputSchema: z.object({ plugin: pluginOutput }),
  annotations: {
    title: 'Enable or disable plugin',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const plugin = await requirePlugins(ctx).setEnabled(input.name, input.enabled, ctx.requestId);
    return { plugin: pluginJson(plugin) };
  },
  render: (out) => renderPlugin(out.plugin),
});
