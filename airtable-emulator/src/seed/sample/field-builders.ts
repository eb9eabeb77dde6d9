import type { FieldType } from '../../model/types.ts';
import type { FixtureField } from '../fixture-schema.ts';
import type { IdScope } from './id-scope.ts';

/** A select choice as written in the sample: a name and an Airtable color name. */
export interface ChoiceSpec {
  name: string;
  color: string;
}

export const DATE_OPTIONS = { dateFormat: { name: 'iso', format: 'YYYY-MM-DD' } } as const;

export const DATE_TIME_OPTIONS = {
  dateFormat: { name: 'iso', format: 'YYYY-MM-DD' },
  timeFormat: { name: '24hour', format: 'HH:mm' },
  timeZone: 'utc',
} as const;

export const CHECKBOX_OPTIONS = { icon: 'check', color: 'greenBright' } as const;

/** Builds the fields of one table, with ids from the base's id scope. */
export interface TableFieldBuilder {
  plain(name: string, type: FieldType, options?: Record<string, unknown>, description?: string): FixtureField;
  select(
    name: string,
    type: 'singleSelect' | 'multipleSelects',
    choices: readonly ChoiceSpec[],
  ): FixtureField;
  /**
   * One side of a link pair. The other table must declare the inverse with
   * `link(inverseName, thisTable, name, …)` so the two fields name each other.
   */
  link(
    name: string,
    linkedTable: string,
    inverseName: string,
    prefersSingleRecordLink: boolean,
  ): FixtureField;
  formula(name: string, formula: string): FixtureField;
}

export function fieldBuilder(ids: IdScope, table: string): TableFieldBuilder {
  return {
    plain(name, type, options, description) {
      const field: FixtureField = { id: ids.field(table, name), name, type };
      if (description !== undefined) field.description = description;
      if (options !== undefined) field.options = structuredClone(options);
      return field;
    },
    select(name, type, choices) {
      return {
        id: ids.field(table, name),
        name,
        type,
        options: {
          choices: choices.map((c) => ({
            id: ids.choice(table, name, c.name),
            name: c.name,
            color: c.color,
          })),
        },
      };
    },
    link(name, linkedTable, inverseName, prefersSingleRecordLink) {
      return {
        id: ids.field(table, name),
        name,
        type: 'multipleRecordLinks',
        options: {
          linkedTableId: ids.table(linkedTable),
          isReversed: false,
          prefersSingleRecordLink,
          inverseLinkFieldId: ids.field(linkedTable, inverseName),
        },
      };
    },
    formula(name, formula) {
      return { id: ids.field(table, name), name, type: 'formula', options: { formula } };
    },
  };
}

/**
 * Drops empty cells the way Airtable omits them: `undefined`, `''`, `[]` and `false`
 * (an unchecked checkbox is absent, never `false`).
 */
export function compactCells(cells: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(cells)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[name] = value;
  }
  return out;
}
