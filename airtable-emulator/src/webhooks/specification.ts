import { z } from 'zod';
import { errors } from '../http/errors.ts';
import type { BaseData } from '../model/store.ts';
import type { TableDef } from '../model/types.ts';

/** The `fromSources` values Airtable documents; the emulator itself makes only the first two. */
export const CHANGE_SOURCES = [
  'client',
  'publicApi',
  'formSubmission',
  'formPageSubmission',
  'automation',
  'system',
  'sync',
  'anonymousUser',
  'unknown',
] as const;

const fieldIds = z.array(z.string().regex(/^fld[A-Za-z0-9]{14}$/, 'must be a field id (fld…)'));

const filtersSchema = z
  .object({
    dataTypes: z.array(z.enum(['tableData', 'tableFields', 'tableMetadata'])).min(1),
    recordChangeScope: z
      .string()
      .regex(/^(tbl|viw)[A-Za-z0-9]{14}$/, 'must be a table or view id')
      .optional(),
    changeTypes: z.array(z.enum(['add', 'remove', 'update'])).optional(),
    fromSources: z.array(z.enum(CHANGE_SOURCES)).optional(),
    sourceOptions: z
      .object({
        formSubmission: z.object({ viewId: z.string() }).strict().optional(),
        formPageSubmission: z.object({ pageId: z.string() }).strict().optional(),
      })
      .strict()
      .optional(),
    watchDataInFieldIds: fieldIds.optional(),
    watchSchemasOfFieldIds: fieldIds.optional(),
  })
  .strict();

const includesSchema = z
  .object({
    includeCellValuesInFieldIds: z.union([fieldIds, z.literal('all')]).optional(),
    includePreviousCellValues: z.boolean().optional(),
    includePreviousFieldDefinitions: z.boolean().optional(),
  })
  .strict();

export const specificationSchema = z
  .object({
    options: z.object({ filters: filtersSchema, includes: includesSchema.optional() }).strict(),
  })
  .strict();

const createBodySchema = z
  .object({
    notificationUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
      .nullable()
      .optional(),
    specification: specificationSchema,
  })
  .strict();

export type WebhookSpecification = z.output<typeof specificationSchema>;
export type WebhookFilters = WebhookSpecification['options']['filters'];

/**
 * Reads a create-webhook body. Airtable answers a body it cannot use with its generic 422
 * INVALID_REQUEST_UNKNOWN; the message says what was wrong (Airtable's own wording is not documented).
 */
export function parseCreateBody(
  base: BaseData,
  body: unknown,
): { notificationUrl: string | null; specification: WebhookSpecification } {
  const parsed = createBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw errors.invalidRequest(`Invalid request: ${detail}`);
  }
  const { specification } = parsed.data;
  checkAgainstBase(base, specification);
  return { notificationUrl: parsed.data.notificationUrl ?? null, specification };
}

/** The table a `recordChangeScope` names (a table, or the table of a view). */
export function scopeTable(base: BaseData, scope: string): TableDef | undefined {
  return base.tables.find((t) => t.id === scope || t.views.some((v) => v.id === scope));
}

/** Ids must name what exists in this base (and in the scoped table, when there is one). */
function checkAgainstBase(base: BaseData, spec: WebhookSpecification): void {
  const { filters, includes } = spec.options;
  const scoped = filters.recordChangeScope ? scopeTable(base, filters.recordChangeScope) : undefined;
  if (filters.recordChangeScope && !scoped)
    throw errors.invalidRequest(
      `Invalid request: recordChangeScope ${filters.recordChangeScope} is not a table or view of this base`,
    );
  const tables = scoped ? [scoped] : base.tables;
  const known = new Set(tables.flatMap((t) => t.fields.map((f) => f.id)));
  const lists = {
    watchDataInFieldIds: filters.watchDataInFieldIds,
    watchSchemasOfFieldIds: filters.watchSchemasOfFieldIds,
    includeCellValuesInFieldIds:
      includes?.includeCellValuesInFieldIds === 'all' ? undefined : includes?.includeCellValuesInFieldIds,
  };
  for (const [name, ids] of Object.entries(lists)) {
    const unknown = ids?.find((id) => !known.has(id));
    if (unknown) throw errors.invalidRequest(`Invalid request: ${name} names an unknown field ${unknown}`);
  }
}
