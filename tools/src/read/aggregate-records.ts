import type { FieldSchema } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { isTableAllowed } from '../airtable/access.ts';
import { compileFilter, effectiveType, filterKind } from '../airtable/filter.ts';
import { primaryNames } from '../airtable/friendly-values.ts';
import { loadTable, primaryField, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { scanAll } from './scan.ts';
import {
  baseIdInput,
  formulaInput,
  matchInput,
  readAnnotations,
  sameFilterInput,
  tableInput,
} from './shared.ts';

const OPS = ['count', 'sum', 'avg', 'min', 'max'] as const;
type Op = (typeof OPS)[number];
export const EMPTY_GROUP = '(empty)';

interface Metric {
  op: Op;
  field?: FieldSchema;
  label: string;
}

interface Acc {
  count: number;
  sums: number[];
  counts: number[];
  mins: (number | string | undefined)[];
  maxs: (number | string | undefined)[];
}

function checkMetric(op: Op, field: FieldSchema | undefined): Metric {
  if (op === 'count') return { op, field, label: field ? `count(${field.name})` : 'count' };
  if (!field) throw new ToolError('TOOL_INVALID_INPUT', `Metric "${op}" needs a field.`, { op });
  const kind = filterKind(field);
  const ok = kind === 'number' || ((op === 'min' || op === 'max') && kind === 'date');
  if (!ok)
    throw new ToolError(
      'TOOL_INVALID_INPUT',
      `Cannot ${op} "${field.name}" (type ${effectiveType(field)}): ${op} needs a number field${op === 'min' || op === 'max' ? ' or a date' : ''}.`,
      { field: field.name, type: effectiveType(field), op },
    );
  return { op, field, label: `${op}(${field.name})` };
}

function present(value: unknown): boolean {
  return (
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
}

export const aggregateRecordsTool = defineTool({
  name: 'aggregate_records',
  title: 'Aggregate records',
  description:
    'Exact count/sum/avg/min/max over matching records, optionally per group_by value (multi-value records count in each). E.g. metrics [{op:"sum",field:"Amount"}].',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    metrics: z
      .array(z.object({ op: z.enum(OPS), field: z.string().optional() }))
      .min(1)
      .default([{ op: 'count' }])
      .describe('count needs no field'),
    group_by: z.string().optional(),
    filter: sameFilterInput,
    match: matchInput,
    formula: formulaInput,
  }),
  outputSchema: z.object({
    table: z.string(),
    records_scanned: z.number(),
    groups: z.array(
      z.object({
        group: z.string().optional(),
        count: z.number(),
        values: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
  annotations: readAnnotations('Aggregate records'),
  writes: false,
  async handler(input, ctx) {
    const { schema, table } = await loadTable(ctx, input.base_id, input.table);
    const metrics = input.metrics.map((m) =>
      checkMetric(m.op, m.field ? resolveField(table, m.field) : undefined),
    );
    const groupField = input.group_by === undefined ? undefined : resolveField(table, input.group_by);
    const filterByFormula = compileFilter(table, input.filter, {
      match: input.match,
      formula: input.formula,
    });
    const needed = new Set<string>([primaryField(table).name]);
    for (const m of metrics) if (m.field) needed.add(m.field.name);
    if (groupField) needed.add(groupField.name);

    const groups = new Map<string, Acc>();
    const accFor = (key: string): Acc => {
      let acc = groups.get(key);
      if (!acc) {
        acc = { count: 0, sums: metrics.map(() => 0), counts: metrics.map(() => 0), mins: [], maxs: [] };
        groups.set(key, acc);
      }
      return acc;
    };
    const keysOf = (value: unknown): string[] => {
      if (!present(value)) return [EMPTY_GROUP];
      if (Array.isArray(value))
        return [...new Set(value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))))];
      return [typeof value === 'object' ? JSON.stringify(value) : String(value)];
    };
    const scanned = await scanAll(
      ctx,
      input.base_id,
      table.id,
      { fields: [...needed], filterByFormula },
      (page) => {
        for (const record of page) {
          const keys = groupField ? keysOf(record.fields[groupField.name]) : [''];
          for (const key of keys) {
            const acc = accFor(key);
            acc.count++;
            metrics.forEach((m, i) => {
              if (!m.field) return;
              const value = record.fields[m.field.name];
              if (!present(value)) return;
              acc.counts[i] = (acc.counts[i] ?? 0) + 1;
              if (typeof value === 'number') acc.sums[i] = (acc.sums[i] ?? 0) + value;
              const v = typeof value === 'number' || typeof value === 'string' ? value : undefined;
              if (v === undefined) return;
              const min = acc.mins[i];
              const max = acc.maxs[i];
              if (min === undefined || v < min) acc.mins[i] = v;
              if (max === undefined || v > max) acc.maxs[i] = v;
            });
          }
        }
      },
    );

    let names = new Map<string, string>();
    const linked = (groupField?.options as { linkedTableId?: string } | undefined)?.linkedTableId;
    const linkedTable = linked ? schema.tables.find((t) => t.id === linked) : undefined;
    if (
      groupField?.type === 'multipleRecordLinks' &&
      linkedTable &&
      isTableAllowed(ctx.policy, input.base_id, linkedTable)
    )
      names = await primaryNames(
        ctx,
        input.base_id,
        linkedTable,
        [...groups.keys()].filter((k) => k !== EMPTY_GROUP),
      );

    const out = [...groups.entries()].map(([key, acc]) => {
      const values: Record<string, number | string | null> = {};
      metrics.forEach((m, i) => {
        const n = acc.counts[i] ?? 0;
        if (m.op === 'count') values[m.label] = m.field ? n : acc.count;
        else if (m.op === 'sum') values[m.label] = acc.sums[i] ?? 0;
        else if (m.op === 'avg') values[m.label] = n === 0 ? null : (acc.sums[i] ?? 0) / n;
        else values[m.label] = (m.op === 'min' ? acc.mins[i] : acc.maxs[i]) ?? null;
      });
      const group = groupField ? (names.has(key) ? `${names.get(key)} (${key})` : key) : undefined;
      return { group, count: acc.count, values };
    });
    out.sort((a, b) => b.count - a.count);
    return {
      table: table.name,
      records_scanned: scanned,
      groups: groupField || scanned > 0 ? out : [{ count: 0, values: emptyValues(metrics) }],
    };
  },
  render: (out) =>
    [
      `${out.table}: ${out.records_scanned} records scanned`,
      ...out.groups.map(
        (g) =>
          `${g.group === undefined ? 'all' : g.group}: ${Object.entries(g.values)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`,
      ),
    ].join('\n'),
});

function emptyValues(metrics: readonly Metric[]): Record<string, number | null> {
  return Object.fromEntries(metrics.map((m) => [m.label, m.op === 'count' || m.op === 'sum' ? 0 : null]));
}
