import { z } from 'zod';
import type { PlatformPlugin, PlatformPlugins } from '../core/platform-port.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { requirePlatform } from './shared.ts';

/** The caller's plugins, or TOOL_UNAVAILABLE where the platform runs without them. */
export function requirePlugins(ctx: ToolContext): PlatformPlugins {
  const { plugins } = requirePlatform(ctx);
  if (!plugins) {
    throw new ToolError('TOOL_UNAVAILABLE', 'plugins are not available in this AirSuite deployment.');
  }
  return plugins;
}

// As the manifest names them: lower-case letters, digits and _, starting with a letter.
export const pluginNameInput = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/)
  .describe('the plugin\'s name, e.g. "echoer" (list_plugins)');

export const pluginOutput = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  status: z.enum(['enabled', 'disabled', 'quarantined']),
  status_reason: z.string().optional(),
  functions: z.array(
    z.object({ name: z.string(), tool: z.string(), description: z.string(), read_only: z.boolean() }),
  ),
  hooks: z.array(z.string()),
  installed_at: z.string(),
  updated_at: z.string(),
});

export type PluginOutput = z.output<typeof pluginOutput>;

/** Field by field: the config (which may hold a plugin's settings) is never shown. */
export function pluginJson(p: PlatformPlugin): PluginOutput {
  return {
    name: p.name,
    version: p.version,
    description: p.description,
    status: p.status,
    ...(p.statusReason ? { status_reason: p.statusReason } : {}),
    functions: p.functions.map((fn) => ({
      name: fn.name,
      tool: fn.toolName,
      description: fn.description,
      read_only: fn.readOnly,
    })),
    hooks: [...p.hooks],
    installed_at: p.installedAt,
    updated_at: p.updatedAt,
  };
}

/** `echoer 1.2.0 enabled: plugin_echoer_echo, plugin_echoer_noop; hooks before_write`, with a quarantine's reason. */
export function renderPlugin(p: PluginOutput): string {
  const status = p.status_reason ? `${p.status} (${p.status_reason})` : p.status;
  const functions = p.functions.length > 0 ? `: ${p.functions.map((fn) => fn.tool).join(', ')}` : '';
  const hooks = p.hooks.length > 0 ? `; hooks ${p.hooks.join(', ')}` : '';
  return `${p.name} ${p.version} ${status}${functions}${hooks}`;
}
