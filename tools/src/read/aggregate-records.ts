import { z } from 'zod';
import { compileFilter } from '../airtable/filter.ts';
import { loadTable, primaryField, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { groupKeysOf, groupLabel, linkedGroupNames } from './aggregate-groups.ts';
import {
  type Acc,
  accumulate,
  checkMetric,
  emptyAcc,
  emptyValues,
  metricValues,
  OPS,
} from './aggregate-metrics.ts';
import { scanAll } from './scan.ts';
import {
  baseIdInput,
  formulaInput,
  matchInput,
  readAnnotations,
  sameFilterInput,
  tableInput,
} from './shared.ts';

export { EMPTY_GROUP } from './aggregate-groups.ts';

export const aggregateRecordsTool = defineTool({
  name: 'aggregate_records',
  title: 'Aggregate records',
  description:
    'Exact count/sum/avg/min/max over matching records, optionally per group_by value. E.g. metrics [{op:"sum",field:"Amount"}].',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    metrics: z
      .array(z.object({ op: z.enum(OPS), field: z.string().optional() }))
      .min(1)
      .default([{ op: 'count' }])
      .describe('count needs no field'),
    group_by: z.string().optional().describe('one result per value; a multi-value record counts in each'),
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
    const scanned = await scanAll(
      ctx,
      input.base_id,
      table.id,
      { fields: [...needed], filterByFormula },
      (page) => {
        for (const record of page) {
          const keys = groupField ? groupKeysOf(record.fields[groupField.name]) : [''];
          for (const key of keys) {
            const acc = groups.get(key) ?? emptyAcc(metrics);
            groups.set(key, acc);
            accumulate(acc, metrics, record.fields);
          }
        }
      },
    );

    const names = await linkedGroupNames(ctx, input.base_id, schema, groupField, groups.keys());
    const out = [...groups.entries()].map(([key, acc]) => ({
      group: groupField ? groupLabel(key, names) : undefined,
      count: acc.count,
      values: metricValues(acc, metrics),
    }));
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
