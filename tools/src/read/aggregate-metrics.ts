import type { FieldSchema } from '@airsuite/airtable-gateway';
import { effectiveType, filterKind } from '../airtable/filter.ts';
import { ToolError } from '../core/tool-error.ts';

export const OPS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type Op = (typeof OPS)[number];

export interface Metric {
  op: Op;
  field?: FieldSchema;
  label: string;
}

/** One group's running totals, per metric by index. */
export interface Acc {
  count: number;
  sums: number[];
  counts: number[];
  mins: (number | string | undefined)[];
  maxs: (number | string | undefined)[];
}

export function checkMetric(op: Op, field: FieldSchema | undefined): Metric {
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

/** Airtable leaves empty cells out or sends them empty: none of them counts as a value. */
export function present(value: unknown): boolean {
  return (
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
}

export function emptyAcc(metrics: readonly Metric[]): Acc {
  return { count: 0, sums: metrics.map(() => 0), counts: metrics.map(() => 0), mins: [], maxs: [] };
}

/** Adds one record's cells to a group's totals. */
export function accumulate(acc: Acc, metrics: readonly Metric[], fields: Record<string, unknown>): void {
  acc.count++;
  metrics.forEach((m, i) => {
    if (!m.field) return;
    const value = fields[m.field.name];
    if (!present(value)) return;
    acc.counts[i] = (acc.counts[i] ?? 0) + 1;
    if (typeof value === 'number') acc.sums[i] = (acc.sums[i] ?? 0) + value;
    // Dates arrive as ISO strings, which order as the dates do.
    const v = typeof value === 'number' || typeof value === 'string' ? value : undefined;
    if (v === undefined) return;
    const min = acc.mins[i];
    const max = acc.maxs[i];
    if (min === undefined || v < min) acc.mins[i] = v;
    if (max === undefined || v > max) acc.maxs[i] = v;
  });
}

/** Each metric's result for one group, by label; an average or extreme of no values is null. */
export function metricValues(acc: Acc, metrics: readonly Metric[]): Record<string, number | string | null> {
  const values: Record<string, number | string | null> = {};
  metrics.forEach((m, i) => {
    const n = acc.counts[i] ?? 0;
    if (m.op === 'count') values[m.label] = m.field ? n : acc.count;
    else if (m.op === 'sum') values[m.label] = acc.sums[i] ?? 0;
    else if (m.op === 'avg') values[m.label] = n === 0 ? null : (acc.sums[i] ?? 0) / n;
    else values[m.label] = (m.op === 'min' ? acc.mins[i] : acc.maxs[i]) ?? null;
  });
  return values;
}

export function emptyValues(metrics: readonly Metric[]): Record<string, number | null> {
  return Object.fromEntries(metrics.map((m) => [m.label, m.op === 'count' || m.op === 'sum' ? 0 : null]));
}
