import type { BaseSchema, FieldSchema, TableSchema } from '@airsuite/airtable-gateway';
import { z } from 'zod';

export const DETAIL_LEVELS = ['summary', 'fields', 'full'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export const fieldOutput = z.object({
  name: z.string(),
  type: z.string(),
  id: z.string().optional(),
  choices: z.array(z.string()).optional(),
  links_to: z.string().optional(),
  result_type: z.string().optional(),
  description: z.string().optional(),
});

export const tableOutput = z.object({
  id: z.string(),
  name: z.string(),
  primary_field: z.string(),
  field_count: z.number(),
  description: z.string().optional(),
  fields: z.array(fieldOutput).optional(),
  views: z.array(z.object({ name: z.string(), type: z.string() })).optional(),
});

export type TableOutput = z.output<typeof tableOutput>;

function describeField(schema: BaseSchema, field: FieldSchema, full: boolean): z.output<typeof fieldOutput> {
  const out: z.output<typeof fieldOutput> = { name: field.name, type: field.type };
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

function renderField(f: z.output<typeof fieldOutput>): string {
  const extra = [
    f.choices ? `choices: ${f.choices.join(' | ')}` : '',
    f.links_to ? `→ ${f.links_to}` : '',
    f.result_type ? `→ ${f.result_type}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `  - ${f.name}: ${f.type}${extra ? ` (${extra})` : ''}`;
}

export function renderTable(t: TableOutput): string {
  const head = `${t.name} [${t.id}] primary=${t.primary_field}, ${t.field_count} fields`;
  if (!t.fields) return head;
  const lines = [head, ...(t.description ? [`  ${t.description}`] : []), ...t.fields.map(renderField)];
  if (t.views) lines.push(`  views: ${t.views.map((v) => `${v.name} (${v.type})`).join(', ')}`);
  return lines.join('\n');
}
