import { z } from 'zod';

/** Request and response shapes shared by the route groups; JSON field names are snake_case. */

export const roleSchema = z.enum(['owner', 'admin', 'editor', 'viewer']).describe('workspace role');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const isControl = (char: string) => {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f;
};

/** Trimmed, non-empty, one line, at most `max` characters. */
export const nameSchema = (max = 100) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => ![...s].some(isControl), 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode (no lone surrogates)');

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'));

export const idParam = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,64}$`), `must be a ${what} id (${prefix}_…)`);

export const workspaceParams = z.object({ id: idParam('wsp', 'workspace') });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    detail: z.string(),
    request_id: z.string(),
  })
  .describe('problem+json (RFC 9457) with a stable code');

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  created_at: z.string(),
  updated_at: z.string(),
});

export const memberSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  role: roleSchema,
  joined_at: z.string(),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  created_at: z.string(),
  created_by: z.string().optional(),
  expires_at: z.string().optional(),
  last_used_at: z.string().optional(),
  revoked_at: z.string().optional(),
});

export const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  token_hint: z.string().describe('first and last characters only; the token is never returned'),
  bases: z.array(z.string()).optional(),
  airtable_user_id: z.string().optional(),
  is_default: z.boolean(),
  created_at: z.string(),
  last_validated_at: z.string().optional(),
});

/** camelCase service objects → snake_case JSON, shallowly, dropping undefined. */
/** `createdAt` → `created_at`, at the type level. */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** An object with its keys in snake_case (the API's wire form); optional keys stay optional. */
export type Snake<T> = { [K in keyof T as K extends string ? SnakeCase<K> : K]: T[K] };

export function snake<T extends object>(value: T): Snake<T> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = item;
  }
  return out as Snake<T>;
}

export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
  429: problemSchema,
} as const;
