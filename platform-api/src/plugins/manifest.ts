import { z } from 'zod';

/**
 * A plugin's manifest: what it is, what it exports (each function a tool), which hooks it
 * implements, what it may touch and how much it may use. Checked by zod at publish time; the
 * module is then checked against it (validate-plugin.ts). snake_case like the REST API.
 */

/** A Wasm page is 64 KiB; a plugin declares its maximum in pages, within the workspace's limit. */
export const WASM_PAGE_BYTES = 65_536;

/** The ceilings no manifest may exceed; a workspace may set lower ones (PluginLimitsPolicy). */
export const PLUGIN_LIMIT_CEILINGS = {
  memoryPages: 1_024,
  timeoutMs: 30_000,
  inputBytes: 4 * 1024 * 1024,
  outputBytes: 4 * 1024 * 1024,
} as const;

export const DEFAULT_PLUGIN_LIMITS = {
  memory_pages: 16,
  timeout_ms: 1_000,
  max_input_bytes: 256 * 1024,
  max_output_bytes: 256 * 1024,
} as const;

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter, at most 40');

/** Semantic version, without build metadata: installs and rollbacks name versions exactly. */
const semver = z
  .string()
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.2.0');

/** A JSON Schema object, as MCP tools carry: an object schema at the top. */
const jsonSchema = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === 'object', { message: 'must be a JSON Schema with "type": "object"' });

const annotations = z
  .object({
    title: z.string().max(100).optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .strict();

const pluginFunction = z
  .object({
    name: identifier,
    description: z.string().min(10, 'say what it does, for the model').max(1_000),
    input_schema: jsonSchema,
    output_schema: jsonSchema.optional(),
    annotations: annotations.default({}),
  })
  .strict();

const hookFunction = z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, 'an exported function name');

const hooks = z
  .object({
    before_write: z
      .object({
        function: hookFunction.default('before_write'),
        /** Whether a write goes ahead when the hook fails or times out. */
        on_failure: z.enum(['refuse', 'allow']).default('refuse'),
        /** Lower runs first among a workspace's guards. */
        order: z.number().int().min(0).max(1_000).default(100),
      })
      .strict()
      .optional(),
    on_event: z
      .object({
        function: hookFunction.default('on_event'),
        /** Event types, with `*` wildcards as webhook endpoints take them. */
        events: z.array(z.string().regex(/^[a-z_*]+(\.[a-z_*]+)*$/)).min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A base, and optionally some of its tables (by id or name); no tables means every table. */
const baseGrant = z
  .object({
    base: z.string().regex(/^app[A-Za-z0-9]{14}$/, 'a base id (app…)'),
    tables: z.array(z.string().min(1)).optional(),
  })
  .strict();

const permissions = z
  .object({
    records: z
      .object({ read: z.array(baseGrant).default([]), write: z.array(baseGrant).default([]) })
      .strict()
      .default({ read: [], write: [] }),
    /** Hosts the plugin may call over HTTP; none by default. */
    network: z
      .object({ hosts: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({ hosts: [] }),
    kv: z.boolean().default(false),
    /** Custom event types it may emit, each under `plugin.<name>.`. */
    events: z
      .object({ emit: z.array(identifier).default([]) })
      .strict()
      .default({ emit: [] }),
  })
  .strict();

const limits = z
  .object({
    memory_pages: z.number().int().min(1).max(PLUGIN_LIMIT_CEILINGS.memoryPages),
    timeout_ms: z.number().int().min(1).max(PLUGIN_LIMIT_CEILINGS.timeoutMs),
    max_input_bytes: z.number().int().min(1).max(PLUGIN_LIMIT_CEILINGS.inputBytes),
    max_output_bytes: z.number().int().min(1).max(PLUGIN_LIMIT_CEILINGS.outputBytes),
  })
  .strict()
  .partial();

export const pluginManifestSchema = z
  .object({
    name: identifier,
    version: semver,
    description: z.string().min(1).max(1_000),
    author: z.string().min(1).max(200),
    functions: z.array(pluginFunction).default([]),
    hooks: hooks.default({}),
    permissions: permissions.default({
      records: { read: [], write: [] },
      network: { hosts: [] },
      kv: false,
      events: { emit: [] },
    }),
    limits: limits.default({}),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    for (const [i, fn] of manifest.functions.entries()) {
      if (seen.has(fn.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['functions', i, 'name'],
          message: `"${fn.name}" is listed twice`,
        });
      }
      seen.add(fn.name);
      // Tools are named plugin_<name>_<function>; Gemini takes function names of 64 characters at most.
      if (`plugin_${manifest.name}_${fn.name}`.length > 64) {
        ctx.addIssue({
          code: 'custom',
          path: ['functions', i, 'name'],
          message: `its tool name plugin_${manifest.name}_${fn.name} is longer than 64 characters; shorten the plugin's or the function's name`,
        });
      }
    }
    if (manifest.functions.length === 0 && !manifest.hooks.before_write && !manifest.hooks.on_event) {
      ctx.addIssue({
        code: 'custom',
        path: ['functions'],
        message: 'a plugin exports at least one function or hook',
      });
    }
  });

export type PluginManifestInput = z.input<typeof pluginManifestSchema>;
export type PluginManifest = z.output<typeof pluginManifestSchema>;
export type PluginFunction = PluginManifest['functions'][number];

export interface PluginLimits {
  memoryPages: number;
  timeoutMs: number;
  maxInputBytes: number;
  maxOutputBytes: number;
}

/** The manifest's limits with the defaults filled in. */
export function limitsOf(manifest: PluginManifest): PluginLimits {
  const l = { ...DEFAULT_PLUGIN_LIMITS, ...manifest.limits };
  return {
    memoryPages: l.memory_pages,
    timeoutMs: l.timeout_ms,
    maxInputBytes: l.max_input_bytes,
    maxOutputBytes: l.max_output_bytes,
  };
}

/** Every export the manifest says the module has: its functions and its hooks' functions. */
export function declaredExports(manifest: PluginManifest): string[] {
  const hooks = [manifest.hooks.before_write?.function, manifest.hooks.on_event?.function];
  return [...manifest.functions.map((fn) => fn.name), ...hooks.filter((h): h is string => h !== undefined)];
}
