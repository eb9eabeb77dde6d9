import {
  type ToolAnnotations,
  type ToolDefinition,
  ToolError,
  type ToolErrorCode,
  type WorkspaceRole,
} from '@airsuite/tools';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { isPlatformError } from '../errors.ts';
import type { WorkspaceAccess } from '../principal.ts';
import type { PluginFunction, PluginManifest } from './manifest.ts';
import type { PluginRuntime } from './plugin-runtime.ts';

/** A plugin function's tool name: `plugin_<plugin>_<function>` (within Gemini's 64 characters). */
export const pluginToolName = (plugin: string, fn: string) => `plugin_${plugin}_${fn}`;

/**
 * A workspace's enabled plugins, as read for its catalogue: kept a few seconds, dropped at once
 * when any process changes them (plugin-services' NOTIFY); the TTL bounds a lost notification.
 */
const CATALOGUE_TTL_MS = 5_000;
const MAX_WORKSPACES = 1_000;

interface Enabled {
  name: string;
  version: string;
  manifest: PluginManifest;
}

/** MCP's defaults for a hint the manifest leaves out: assume the worst, as the spec says. */
function annotationsOf(fn: PluginFunction): ToolAnnotations {
  const a = fn.annotations;
  const readOnly = a.readOnlyHint ?? false;
  return {
    title: a.title ?? fn.name,
    readOnlyHint: readOnly,
    destructiveHint: readOnly ? false : (a.destructiveHint ?? true),
    idempotentHint: a.idempotentHint ?? readOnly,
    openWorldHint: a.openWorldHint ?? false,
  };
}

/** Who may run a plugin function, as a tool or over REST: any member a read-only one, editors the rest. */
export const minimumRoleOf = (fn: PluginFunction): WorkspaceRole =>
  annotationsOf(fn).readOnlyHint ? 'viewer' : 'editor';

/** A function's input schema as zod (any object where it has none, or one zod cannot read). */
export function schemaOf(json: Record<string, unknown> | undefined): z.ZodObject {
  if (!json) return z.looseObject({});
  try {
    const schema = z.fromJSONSchema(json as Parameters<typeof z.fromJSONSchema>[0]);
    return schema instanceof z.ZodObject ? schema : z.looseObject({});
  } catch {
    return z.looseObject({});
  }
}

/** The tool code a model reads for a plugin's failure; the plugin's own code stays in the details. */
const TOOL_CODE_OF: Partial<Record<string, ToolErrorCode>> = {
  PLUGIN_INPUT_TOO_LARGE: 'TOOL_INVALID_INPUT',
  PLUGIN_DISABLED: 'TOOL_UNAVAILABLE',
  PLUGIN_QUARANTINED: 'TOOL_UNAVAILABLE',
  PLUGIN_NOT_FOUND: 'TOOL_UNAVAILABLE',
  PLUGIN_CLOSED: 'TOOL_UNAVAILABLE',
};

/**
 * A plugin's failure (PLUGIN_*) as the tool error a model reads, the plugin's code in
 * `details.plugin_code`; any other error is returned as it is.
 */
export function asToolError(error: unknown): unknown {
  if (!isPlatformError(error) || !error.code.startsWith('PLUGIN_')) return error;
  return new ToolError(TOOL_CODE_OF[error.code] ?? 'TOOL_PLUGIN_FAILED', error.message, {
    plugin_code: error.code,
  });
}

/** One plugin function as a tool of its workspace: the manifest's schemas and hints, run through the runtime. */
function toolOf(
  runtime: PluginRuntime,
  access: WorkspaceAccess,
  plugin: Enabled,
  fn: PluginFunction,
): ToolDefinition {
  const annotations = annotationsOf(fn);
  return {
    name: pluginToolName(plugin.name, fn.name),
    title: annotations.title ?? fn.name,
    description: `${fn.description} (plugin ${plugin.name} ${plugin.version})`,
    inputSchema: schemaOf(fn.input_schema),
    outputSchema: z.looseObject({}),
    annotations,
    // Plugins reach Airtable only through host calls the runtime checks; they write nothing directly.
    writes: false,
    minimumRole: minimumRoleOf(fn),
    platform: true,
    async handler(input, ctx) {
      const output = await runtime
        .call(access, plugin.name, fn.name, input, { ...(ctx.signal ? { signal: ctx.signal } : {}) })
        .catch((error: unknown) => {
          throw asToolError(error);
        });
      return output !== null && typeof output === 'object' && !Array.isArray(output)
        ? (output as Record<string, unknown>)
        : { result: output };
    },
  };
}

export interface PluginTools {
  /** The tools of the workspace's enabled plugins, for this caller (role filtering is the catalogue's). */
  toolsFor(access: WorkspaceAccess): Promise<ToolDefinition[]>;
  /** A workspace's plugins changed (every workspace's when none is named): its next catalogue reads them again. */
  invalidate(workspaceId?: string): void;
}

export function createPluginTools(db: Database, runtime: PluginRuntime): PluginTools {
  const cache = new LRUCache<string, Promise<Enabled[]>>({ max: MAX_WORKSPACES, ttl: CATALOGUE_TTL_MS });
  const enabled = (workspaceId: string): Promise<Enabled[]> => {
    let found = cache.get(workspaceId);
    if (!found) {
      found = db.query<Enabled>(
        `SELECT i.name, v.version, v.manifest FROM plugin_installations i
         JOIN plugin_versions v ON v.id = i.version_id
         WHERE i.workspace_id = $1 AND i.status = 'enabled' ORDER BY i.name`,
        [workspaceId],
      );
      found.catch(() => cache.delete(workspaceId));
      cache.set(workspaceId, found);
    }
    return found;
  };
  return {
    async toolsFor(access) {
      const plugins = await enabled(access.workspaceId);
      return plugins.flatMap((plugin) =>
        plugin.manifest.functions.map((fn) => toolOf(runtime, access, plugin, fn)),
      );
    },
    invalidate: (workspaceId) => (workspaceId ? cache.delete(workspaceId) : cache.clear()),
  };
}
