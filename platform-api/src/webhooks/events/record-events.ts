import type { LandedRecord, WriteKind } from '@airsuite/tools';
import type { EventInput } from '../outbox.ts';

export interface LandedChunkSource {
  workspaceId: string;
  actor: EventInput['actor'];
  operation: {
    id: string;
    tool: string;
    kind: WriteKind;
    baseId: string;
    tableId: string;
    requestId?: string;
  };
}

/**
 * The `record.*` events of one landed chunk of a write operation, written with the chunk's own
 * record: what Airtable confirmed, once. An upsert says per record whether it created or
 * matched; `before` is never known here (the write does not read first), `after` is Airtable's
 * answer for each field the call wrote (absent for a field it cleared).
 */
export function recordEventsOf(source: LandedChunkSource, records: readonly LandedRecord[]): EventInput[] {
  const { operation } = source;
  const table = { base_id: operation.baseId, table_id: operation.tableId };
  const common = {
    workspaceId: source.workspaceId,
    actor: source.actor,
    cause: {
      tool: operation.tool,
      operationId: operation.id,
      ...(operation.requestId ? { requestId: operation.requestId } : {}),
    },
  };
  return records.map((record): EventInput => {
    const created = operation.kind === 'create' || record.upsert === 'created';
    if (operation.kind === 'delete') {
      return { ...common, type: 'record.deleted', data: { ...table, record_id: record.id } };
    }
    if (created) {
      return {
        ...common,
        type: 'record.created',
        data: { ...table, record: { id: record.id, fields: record.fields ?? {} } },
      };
    }
    const changed = Object.fromEntries(
      (record.written ?? []).map((name) => [
        name,
        record.fields && name in record.fields ? { after: record.fields[name] } : {},
      ]),
    );
    return {
      ...common,
      type: 'record.updated',
      data: { ...table, record_id: record.id, changed_fields: changed },
    };
  });
}
