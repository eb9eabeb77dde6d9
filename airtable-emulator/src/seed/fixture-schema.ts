import { z } from 'zod';
import { FIELD_TYPES } from '../model/types.ts';

/**
 * The fixture format: what `--seed FILE.json` loads and what a snapshot export writes.
 * Ids are optional on input (generated when absent) and always present on export.
 * Record cells may be keyed by field name or field id, with values in Airtable's JSON
 * cell format; links name record ids of the linked table.
 */
const fieldSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  description: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const viewSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  type: z.enum(['grid', 'form', 'calendar', 'gallery', 'kanban', 'timeline', 'block']).default('grid'),
  filterByFormula: z.string().optional(),
  sort: z
    .array(z.object({ field: z.string(), direction: z.enum(['asc', 'desc']).default('asc') }))
    .optional(),
  visibleFields: z.array(z.string()).optional(),
});

const commentSchema = z.object({
  id: z.string().optional(),
  authorId: z.string().optional(),
  text: z.string(),
  createdTime: z.string().optional(),
  lastUpdatedTime: z.string().nullable().optional(),
  parentCommentId: z.string().optional(),
});

const recordSchema = z.object({
  id: z.string().optional(),
  createdTime: z.string().optional(),
  fields: z.record(z.string(), z.unknown()),
  comments: z.array(commentSchema).optional(),
});

const tableSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Name or id of the primary field; the first field when absent. */
  primaryField: z.string().optional(),
  fields: z.array(fieldSchema).min(1),
  views: z.array(viewSchema).optional(),
  records: z.array(recordSchema).optional(),
});

const baseSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  permissionLevel: z.enum(['none', 'read', 'comment', 'edit', 'create']).default('create'),
  tables: z.array(tableSchema).min(1),
});

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
});

export const fixtureSchema = z.object({
  version: z.literal(1).default(1),
  users: z.array(userSchema).optional(),
  bases: z.array(baseSchema),
});

export type Fixture = z.input<typeof fixtureSchema>;
export type ParsedFixture = z.output<typeof fixtureSchema>;
export type FixtureBase = z.input<typeof baseSchema>;
export type FixtureTable = z.input<typeof tableSchema>;
export type FixtureField = z.input<typeof fieldSchema>;
export type FixtureRecord = z.input<typeof recordSchema>;
