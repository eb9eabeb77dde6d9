import type { BaseSchema, FieldSchema, TableSchema } from '@airsuite/airtable-gateway';
import { z } from 'zod';

export const DETAIL_LEVELS = ['summary', 'fields', 'full'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export type FieldOutput = {
  name: string;
  type: string;
  id?: string;
  choices?: string[];
  links_to?: string;
  result_type?: string;
  description?: string;
};

export type TableOutput = {
  id: string;
  name: string;
  primary_field: string;
  field_count: number;
  description?: string;
  fields?: FieldOutput[];
  views?: { name: string; type: string }[];
};

/** A table ({@link TableOutput}) in an output schema, described loosely. */
export const tableOutput = z.looseObject({
  id: z.string(),
  name: z.string(),
  fields: z.array(z.looseObject({ name: z.string() })).optional(),
  views: z.array(z.unknown()).optional(),
});

function describeField(schema: BaseSchema, field: FieldSchema, full: boolean): FieldOutput {
  const out: FieldOutput = { name: field.name, type: field.type };
  if (!full) return out;
  const options = (field.options ?? {}) as {
    choices?: { name: string }[];
    linkedTableId?: string;
    result?: { type?: string };
  };
  out.id = field.id;
  if (options.choices) out.choices = options.choices.map((c) => c.name);
  if (options.linkedTableId)
    out.links_to = schema.tables.find((t) => t.id === options.linkedTableId)?.name ?? options.linkedTableId;
  if (options.result?.type) out.result_type = options.result.type;
  if (field.description) out.description = field.description;
  return out;
}

/** One table at a detail level: summary (counts), fields (names + types), full (choices, links, views). */
export function describeTable(schema: BaseSchema, table: TableSchema, detail: DetailLevel): TableOutput {
  const primary = table.fields.find((f) => f.id === table.primaryFieldId) ?? table.fields[0];
  const out: TableOutput = {
    id: table.id,
    name: table.name,
    primary_field: primary?.name ?? '',
    field_count: table.fields.length,
  };
  if (detail === 'summary') return out;
  if (table.description) out.description = table.description;
  out.fields = table.fields.map((f) => describeField(schema, f, detail === 'full'));
  if (detail === 'full') out.views = table.views.map((v) => ({ name: v.name, type: v.type }));
  return out;
}

function renderField(f: FieldOutput): string {
  const extra = [
    f.choices ? `choices: ${f.choices.join(' | ')}` : '',
    f.links_to ? `→ ${f.links_to}` : '',
    f.result_type ? `→ ${f.result_type}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `  - ${f.name}: ${f.type}${extra ? ` (${extra})` : ''}`;
}

export function renderTable(loose: z.output<typeof tableOutput>): string {
  const t = loose as TableOutput;
  const head = `${t.name} [${t.id}] primary=${t.primary_field}, ${t.field_count} fields`;
  if (!t.fields) return head;
  const lines = [head, ...(t.description ? [`  ${t.description}`] : []), ...t.fields.map(renderField)];
  if (t.views) lines.push(`  views: ${t.views.map((v) => `${v.name} (${v.type})`).join(', ')}`);
  return lines.join('\n');
}
