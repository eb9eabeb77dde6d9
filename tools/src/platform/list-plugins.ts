import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { pluginJson, pluginOutput, renderPlugin, requirePlugins } from './plugin-shared.ts';
import { platformAnnotations } from './shared.ts';

export const listPluginsTool = defineTool({
  name: 'list_plugins',
  title: 'List plugins',
  description:
    'Plugins installed in the current AirSuite workspace: name, version, description, status (enabled; disabled; quarantined after repeated faults, with status_reason), its functions (each a tool plugin_<name>_<function> while enabled, read_only or not) and hooks (before_write, on_event).',
  inputSchema: z.object({}),
  outputSchema: z.object({ plugins: z.array(pluginOutput) }),
  annotations: platformAnnotations('List plugins'),
  writes: false,
  platform: true,
  async handler(_input, ctx) {
    const plugins = await requirePlugins(ctx).list();
    return { plugins: plugins.map(pluginJson) };
  },
  render: (out) => (out.plugins.length === 0 ? 'No plugins.' : out.plugins.map(renderPlugin).join('\n')),
});
