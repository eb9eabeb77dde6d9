import type { AirtableGateway } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { PluginManifest } from '../manifest.ts';
import type { HostAnswer, HostCalls } from './plugin-instance.ts';
import { recordsWriteRequest, runRecordsWrite, type WriteContextFor } from './records-write.ts';

/** What a plugin's host calls may reach, for one call: its workspace, its grants, its caller. */
export interface HostScope {
  workspaceId: string;
  plugin: string;
  manifest: PluginManifest;
  db: Database;
  /** The workspace's Airtable client (its connections, through the gateway). */
  airtable: () => Promise<AirtableGateway>;
  /** The tool context the plugin's writes run in (the write tools, their guards, operations and events). */
  writeContext?: WriteContextFor;
  signal?: AbortSignal;
  /** Writes a plugin's own event (`plugin.<plugin>.<type>`) in a transaction of its own; its id. */
  emit?: (type: string, data: Record<string, unknown>) => Promise<string>;
  /** A call the grants refused: audited by the caller. */
  onRefused: (call: string, reason: string) => void;
}

export const MAX_KV_KEY_CHARS = 200;
export const MAX_KV_VALUE_BYTES = 64 * 1024;
export const MAX_KV_KEYS = 1_000;
export const MAX_EVENT_DATA_BYTES = 64 * 1024;
/** Events one call may emit: a plugin in a loop fills no outbox. */
export const MAX_EVENTS_PER_CALL = 100;
const MAX_LIST_RECORDS = 1_000;

const tableRef = { base: z.string(), table: z.string().min(1) };
const requests = {
  records_list: z.object({
    ...tableRef,
    fields: z.array(z.string()).optional(),
    filter_by_formula: z.string().optional(),
    max_records: z.number().int().min(1).max(MAX_LIST_RECORDS).default(100),
    sort: z.array(z.object({ field: z.string(), direction: z.enum(['asc', 'desc']).optional() })).optional(),
    view: z.string().optional(),
  }),
  records_get: z.object({ ...tableRef, record_id: z.string() }),
  records_write: recordsWriteRequest,
  kv_get: z.object({ key: z.string().min(1).max(MAX_KV_KEY_CHARS) }),
  kv_set: z.object({ key: z.string().min(1).max(MAX_KV_KEY_CHARS), value: z.unknown() }),
  kv_delete: z.object({ key: z.string().min(1).max(MAX_KV_KEY_CHARS) }),
  emit_event: z.object({
    type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'one of the types the manifest declares'),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
};

const refused = (code: string, message: string): HostAnswer => ({ ok: false, error: { code, message } });

function parse<K extends keyof typeof requests>(name: K, request: unknown) {
  const parsed = requests[name].safeParse(request);
  if (parsed.success) return { data: parsed.data as z.output<(typeof requests)[K]> };
  const issue = parsed.error.issues[0];
  return {
    answer: refused('INVALID_REQUEST', `${name}: ${issue?.path.join('.') || 'request'}: ${issue?.message}`),
  };
}

/** Whether the manifest grants reading `table` of `base` (a table listed by id or by name). */
function grants(manifest: PluginManifest, kind: 'read' | 'write', base: string, table: string): boolean {
  return manifest.permissions.records[kind].some(
    (grant) => grant.base === base && (grant.tables === undefined || grant.tables.includes(table)),
  );
}

function refuseRead(scope: HostScope, call: string, base: string, table: string): HostAnswer {
  const reason = `the plugin may not read table "${table}" of base ${base} (its manifest's permissions.records.read)`;
  scope.onRefused(call, reason);
  return refused('FORBIDDEN', reason);
}

function refuseKv(scope: HostScope, call: string): HostAnswer {
  const reason = "the plugin has no key-value storage (its manifest's permissions.kv)";
  scope.onRefused(call, reason);
  return refused('FORBIDDEN', reason);
}

async function recordsList(scope: HostScope, request: unknown): Promise<HostAnswer> {
  const { data, answer } = parse('records_list', request);
  if (!data) return answer;
  if (!grants(scope.manifest, 'read', data.base, data.table))
    return refuseRead(scope, 'records_list', data.base, data.table);
  const records = await (await scope.airtable()).listRecords(
    data.base,
    data.table,
    {
      maxRecords: data.max_records,
      ...(data.fields ? { fields: data.fields } : {}),
      ...(data.filter_by_formula ? { filterByFormula: data.filter_by_formula } : {}),
      ...(data.sort ? { sort: data.sort } : {}),
      ...(data.view ? { view: data.view } : {}),
    },
    { signal: scope.signal },
  );
  return { ok: true, records: records.map((r) => ({ id: r.id, fields: r.fields })) };
}

async function recordsGet(scope: HostScope, request: unknown): Promise<HostAnswer> {
  const { data, answer } = parse('records_get', request);
  if (!data) return answer;
  if (!grants(scope.manifest, 'read', data.base, data.table))
    return refuseRead(scope, 'records_get', data.base, data.table);
  const record = await (await scope.airtable()).getRecord(
    data.base,
    data.table,
    data.record_id,
    {},
    { signal: scope.signal },
  );
  return { ok: true, record: { id: record.id, fields: record.fields } };
}

async function recordsWrite(scope: HostScope, request: unknown): Promise<HostAnswer> {
  const { data, answer } = parse('records_write', request);
  if (!data) return answer;
  if (!grants(scope.manifest, 'write', data.base, data.table)) {
    const reason = `the plugin may not write table "${data.table}" of base ${data.base} (its manifest's permissions.records.write)`;
    scope.onRefused('records_write', reason);
    return refused('FORBIDDEN', reason);
  }
  if (!scope.writeContext) return refused('UNAVAILABLE', 'records_write is not available here');
  return runRecordsWrite(data, scope.writeContext, scope.signal);
}

async function kvGet(scope: HostScope, request: unknown): Promise<HostAnswer> {
  const { data, answer } = parse('kv_get', request);
  if (!data) return answer;
  if (!scope.manifest.permissions.kv) return refuseKv(scope, 'kv_get');
  const [row] = await scope.db.query<{ value: unknown }>(
    'SELECT value FROM plugin_kv WHERE workspace_id = $1 AND plugin = $2 AND key = $3',
    [scope.workspaceId, scope.plugin, data.key],
  );
  return row ? { ok: true, found: true, value: row.value } : { ok: true, found: false };
}

async function kvSet(scope: HostScope, request: unknown): Promise<HostAnswer> {
  const { data, answer } = parse('kv_set', request);
  if (!data) return answer;
  if (!scope.manifest.permissions.kv) return refuseKv(scope, 'kv_set');
  const value = JSON.stringify(data.value ?? null);
  if (Buffer.byteLength(value) > MAX_KV_VALUE_BYTES) {
    return refused('TOO_LARGE', `a stored value is at most ${MAX_KV_VALUE_BYTES} bytes of JSON`);
  }
  const stored = await scope.db.query(
    `INSERT INTO plugin_kv (workspace_id, plugin, key, value, updated_at)
     SELECT $1, $2, $3, $4, now()
     WHERE EXISTS (SELECT 1 FROM plugin_kv WHERE workspace_id = $1 AND plugin = $2 AND key = $3)
        OR (SELECT count(*) FROM plugin_kv WHERE workspace_id = $1 AND plugin = $2) < $5
     ON CONFLICT (workspace_id, plugin, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
     RETURNING key`,
    [scope.workspaceId, scope.plugin, data.key, value, MAX_KV_KEYS],
  );
  if (stored.length === 0)
    return refused('TOO_MANY_KEYS', `a plugin stores at most ${MAX_KV_KEYS} keys; delete some first`);
  return { ok: true };
}

async function kvDelete(scope: HostScope, request: unknown): Promise<HostAnswer> {
  const { data, answer } = parse('kv_delete', request);
  if (!data) return answer;
  if (!scope.manifest.permissions.kv) return refuseKv(scope, 'kv_delete');
  const rows = await scope.db.query(
    'DELETE FROM plugin_kv WHERE workspace_id = $1 AND plugin = $2 AND key = $3 RETURNING key',
    [scope.workspaceId, scope.plugin, data.key],
  );
  return { ok: true, deleted: rows.length > 0 };
}

async function emitEvent(
  scope: HostScope,
  request: unknown,
  emitted: { count: number },
): Promise<HostAnswer> {
  const { data, answer } = parse('emit_event', request);
  if (!data) return answer;
  if (!scope.manifest.permissions.events.emit.includes(data.type)) {
    const reason = `the plugin may not emit "${data.type}" events (its manifest's permissions.events.emit)`;
    scope.onRefused('emit_event', reason);
    return refused('FORBIDDEN', reason);
  }
  if (!scope.emit) return refused('UNAVAILABLE', 'emit_event is not available here');
  if (Buffer.byteLength(JSON.stringify(data.data)) > MAX_EVENT_DATA_BYTES) {
    return refused('TOO_LARGE', `an event's data is at most ${MAX_EVENT_DATA_BYTES} bytes of JSON`);
  }
  if (emitted.count >= MAX_EVENTS_PER_CALL) {
    return refused('TOO_MANY_EVENTS', `one call emits at most ${MAX_EVENTS_PER_CALL} events`);
  }
  emitted.count++;
  const id = await scope.emit(data.type, data.data);
  return { ok: true, id, type: `plugin.${scope.plugin}.${data.type}` };
}

/**
 * The host functions of one plugin call, each checking the manifest's grants at call time and
 * reaching only the plugin's own workspace: records through the workspace's gateway client
 * (so Airtable's limits hold), storage in the plugin's own rows. Errors of the upstream (an
 * unknown table, a bad formula) come back as refusals with the gateway's message.
 */
export function hostCallsFor(scope: HostScope): HostCalls {
  const guard =
    (fn: (scope: HostScope, request: unknown) => Promise<HostAnswer>) =>
    async (request: unknown): Promise<HostAnswer> => {
      try {
        return await fn(scope, request);
      } catch (error) {
        const e = error as { code?: string; message?: string };
        return refused(e.code ?? 'HOST_ERROR', e.message ?? 'the call failed');
      }
    };
  const emitted = { count: 0 };
  return {
    records_list: guard(recordsList),
    records_get: guard(recordsGet),
    records_write: guard(recordsWrite),
    kv_get: guard(kvGet),
    kv_set: guard(kvSet),
    kv_delete: guard(kvDelete),
    emit_event: guard((s, request) => emitEvent(s, request, emitted)),
  };
}
