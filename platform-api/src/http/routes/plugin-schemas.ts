import { z } from 'zod';
import { PLUGIN_LIMIT_CEILINGS, pluginManifestSchema } from '../../plugins/manifest.ts';
import type { PluginStatus } from '../../plugins/plugin-rows.ts';
import { MAX_MODULE_BYTES } from '../../plugins/validate-plugin.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../create-app.ts';
import { nameSchema, workspaceParams } from './schemas.ts';

/** Request and response shapes of the plugin routes; JSON field names are snake_case. */

/** The base64 of the largest module a workspace may publish. */
const MAX_MODULE_BASE64_CHARS = 4 * Math.ceil(MAX_MODULE_BYTES / 3);

/**
 * Publishing carries the module as base64 (~13.4 MiB at most) beside its manifest: the default
 * limit of the app (1 MiB) once more for the manifest and the signature.
 */
export const PUBLISH_BODY_LIMIT_BYTES = MAX_MODULE_BASE64_CHARS + DEFAULT_BODY_LIMIT_BYTES;

/** A function's input may be as large as a manifest may allow (4 MiB), with room for its envelope. */
export const CALL_BODY_LIMIT_BYTES = PLUGIN_LIMIT_CEILINGS.inputBytes + 64 * 1024;

const PLUGIN_STATUSES = ['enabled', 'disabled', 'quarantined'] as const satisfies readonly PluginStatus[];

/** Short base64 (keys, signatures): the regex is safe at this length, unlike on a module. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const hasNul = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || hasNul(item));
  return false;
};

// The manifest's own rules (PLUGIN_INVALID, every problem listed) are the registry's; here only
// what no stored manifest may hold.
const pluginName = pluginManifestSchema.shape.name;
const pluginVersion = pluginManifestSchema.shape.version;

const keyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"')
  .describe('names the trusted key a signature is made with');

export const pluginParams = workspaceParams.extend({ name: pluginName });
export const functionParams = pluginParams.extend({
  function: z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, 'must be a function name'),
});
export const keyParams = workspaceParams.extend({ keyId: keyIdSchema });

/** The module's bytes; only base64 that decodes back to the same text (padded, no line breaks). */
const moduleSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_MODULE_BASE64_CHARS, `must be at most ${MAX_MODULE_BASE64_CHARS} characters (a 10 MiB module)`)
  .transform((text, ctx) => {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be standard base64 (A-Z, a-z, 0-9, + and /, padded with =, no line breaks)',
      });
      return z.NEVER;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  })
  .describe('the .wasm file, in base64');

export const publishBody = z.object({
  manifest: z
    .record(z.string(), z.unknown())
    // PostgreSQL's jsonb cannot hold NUL.
    .refine((manifest) => !hasNul(manifest), 'must not contain NUL characters')
    .describe(
      'the manifest: name, version, description, author, functions, hooks, permissions, limits (PLUGIN_INVALID lists every problem)',
    ),
  module: moduleSchema,
  signature: z
    .object({
      key_id: keyIdSchema,
      signature: z
        .string()
        .max(200)
        .regex(BASE64, 'must be base64')
        .describe('base64 Ed25519 signature over the module hash and the manifest'),
    })
    .optional()
    .describe('required where the workspace requires signatures; checked against its trusted keys'),
});

export const listVersionsQuery = z.object({
  name: pluginName.optional().describe("only this plugin's versions"),
});

const configSchema = z
  .record(
    z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    z.string().max(4096, 'must be at most 4096 characters'),
  )
  .refine((config) => Object.keys(config).length <= 64, 'must hold at most 64 entries')
  .refine((config) => !hasNul(config), 'must not contain NUL characters')
  .describe("the plugin's configuration, as strings it reads at run time");

export const installBody = z.object({
  name: pluginName,
  version: pluginVersion,
  config: configSchema.optional(),
});

export const changeVersionBody = z.object({
  version: pluginVersion.describe('a published version, newer (upgrade) or older'),
});

export const updatePluginBody = z.object({
  enabled: z
    .boolean()
    .describe('false: its functions and hooks stop running; true: back on (a quarantined plugin too)'),
});

export const callBody = z.object({
  input: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("the function's input, checked against its input_schema"),
});

export const updateSettingsBody = z
  .object({
    require_signatures: z.boolean().optional().describe('publish only plugins signed by a trusted key'),
    max_memory_pages: z
      .number()
      .int('must be a whole number of pages')
      .min(1, 'must be at least 1')
      .max(PLUGIN_LIMIT_CEILINGS.memoryPages, `must be at most ${PLUGIN_LIMIT_CEILINGS.memoryPages}`)
      .optional()
      .describe('the largest memory a plugin may declare, in 64 KiB pages; for later publishes'),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'must change at least one of require_signatures, max_memory_pages',
  });

export const addKeyBody = z.object({
  id: keyIdSchema,
  name: nameSchema(),
  public_key: z
    .string()
    .max(1000, 'must be at most 1000 characters')
    .regex(BASE64, 'must be base64')
    .describe(
      "an Ed25519 public key, base64 of its SPKI DER (node: key.export({ format: 'der', type: 'spki' }))",
    ),
});

export const versionSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  sha256: z.string().describe("hex SHA-256 of the module's bytes"),
  signed_by: z.string().optional().describe('the trusted key that signed it'),
  published_at: z.string(),
  manifest: z.record(z.string(), z.unknown()).describe('the manifest, with its defaults filled in'),
});

export const installationSchema = z.object({
  name: z.string(),
  version: z.string(),
  version_id: z.string(),
  previous_version: z.string().optional().describe('what a rollback goes back to'),
  status: z.enum(PLUGIN_STATUSES),
  status_reason: z.string().optional().describe('why it is quarantined'),
  config: z.record(z.string(), z.string()),
  installed_at: z.string(),
  updated_at: z.string(),
  manifest: z.record(z.string(), z.unknown()),
});

export const settingsSchema = z.object({
  require_signatures: z.boolean(),
  max_memory_pages: z.number(),
});

export const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  public_key: z.string(),
  created_at: z.string(),
});
