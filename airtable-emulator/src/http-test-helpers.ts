import { expect } from 'vitest';
import type { TestEmulator } from './test-support.ts';

export { OWNER_USER, PRODUCT_ROADMAP_BASE_ID, SALES_CRM_BASE_ID } from './seed/sample/index.ts';

/** Airtable's error envelope: `{"error":{"type","message"?}}`, or the bare `{"error":"NOT_FOUND"}`. */
export interface ErrorBody {
  error: string | { type: string; message?: string };
}

/**
 * Asserts an Airtable error by status and `error.type` (never the message text), and that the
 * envelope carries nothing but `type` and an optional string `message`. Returns the body.
 */
export async function expectError(res: Response, status: number, type: string): Promise<ErrorBody> {
  const body = (await res.json()) as ErrorBody;
  const error = typeof body.error === 'object' ? body.error : undefined;
  expect({ status: res.status, type: error?.type }).toEqual({ status, type });
  expect(Object.keys(body)).toEqual(['error']);
  for (const key of Object.keys(error ?? {})) expect(['type', 'message']).toContain(key);
  if (error?.message !== undefined) expect(typeof error.message).toBe('string');
  return body;
}

/** Asserts Airtable's bare 404 for an unknown base or route. */
export async function expectBareNotFound(res: Response): Promise<void> {
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: 'NOT_FOUND' });
}

/** A full export of every base, as text: equal text means nothing changed. */
export async function exportText(t: TestEmulator): Promise<string> {
  const res = await t.admin('/export');
  expect(res.status).toBe(200);
  return res.text();
}

/** Parses a JSON body after asserting the status, so a failure shows what came back. */
export async function json<T = Record<string, unknown>>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect({ status: res.status, body: text.slice(0, 500) }).toMatchObject({ status });
  return JSON.parse(text) as T;
}

/** A JSON request init for `api()`. */
export function send(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, body: JSON.stringify(body), headers };
}

export function bearer(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ApiRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
  commentCount?: number;
}

export interface SchemaField {
  id: string;
  name: string;
  type: string;
  description?: string;
  options?: Record<string, unknown>;
}

export interface SchemaTable {
  id: string;
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: SchemaField[];
  views: { id: string; name: string; type: string; visibleFieldIds?: string[] }[];
}

/** The named table of a base schema; fails loudly when absent. */
export async function schemaTable(t: TestEmulator, baseId: string, name: string): Promise<SchemaTable> {
  const { tables } = await json<{ tables: SchemaTable[] }>(await t.api(`/v0/meta/bases/${baseId}/tables`));
  const table = tables.find((x) => x.name === name);
  if (!table) throw new Error(`no table ${name} in ${baseId}`);
  return table;
}

export function fieldNamed(table: SchemaTable, name: string): SchemaField {
  const field = table.fields.find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name} in ${table.name}`);
  return field;
}
