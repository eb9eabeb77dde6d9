import type { WebhookCellValues, WebhookPayload, WebhookTableChanges } from '@airsuite/airtable-gateway';
import type { EventInput } from '../outbox.ts';
import { restCellValue } from './cell-values.ts';
import type { Names } from './field-names.ts';

export interface PayloadSource {
  workspaceId: string;
  baseId: string;
}

type Common = Pick<EventInput, 'workspaceId' | 'actor'>;

/**
 * A change the platform made itself: Airtable says the public API made it, as the Airtable
 * user of one of the workspace's connections. Its tool write already wrote its events.
 */
export function isOwnWrite(payload: WebhookPayload, ownUsers: ReadonlySet<string>): boolean {
  const user = payload.actionMetadata?.sourceMetadata?.user?.id;
  return payload.actionMetadata?.source === 'publicApi' && user !== undefined && ownUsers.has(user);
}

/** Who made the change, as the payload says: the Airtable user, or Airtable itself (automations, syncs…). */
export function actorOfPayload(payload: WebhookPayload): EventInput['actor'] {
  const user = payload.actionMetadata?.sourceMetadata?.user;
  const label = user?.name || user?.email;
  return { type: 'airtable', id: user?.id || 'airtable', ...(label ? { label } : {}) };
}

/** Cells by field id → cells by field name, in the REST format; empty cells (null) left out. */
function byName(cells: WebhookCellValues, names: Names): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [fieldId, value] of Object.entries(cells)) {
    if (value === null || value === undefined) continue;
    const field = names.fields.get(fieldId);
    out[field?.name ?? fieldId] = restCellValue(field?.type, value);
  }
  return out;
}

function recordEvents(
  common: Common,
  table: { base_id: string; table_id: string },
  changes: WebhookTableChanges,
  names: Names,
): EventInput[] {
  const events: EventInput[] = [];
  for (const [id, record] of Object.entries(changes.createdRecordsById ?? {})) {
    const fields = byName(record.cellValuesByFieldId, names);
    events.push({ ...common, type: 'record.created', data: { ...table, record: { id, fields } } });
  }
  for (const [id, record] of Object.entries(changes.changedRecordsById ?? {})) {
    const previous = record.previous?.cellValuesByFieldId;
    const changed: Record<string, { before?: unknown; after?: unknown }> = {};
    for (const [fieldId, value] of Object.entries(record.current.cellValuesByFieldId)) {
      const field = names.fields.get(fieldId);
      const entry: { before?: unknown; after?: unknown } = {};
      // `before: null`: the cell was empty; no `before`: not known (no previous values).
      if (previous && fieldId in previous) {
        const was = previous[fieldId];
        entry.before = was === null || was === undefined ? null : restCellValue(field?.type, was);
      }
      // No `after`: the cell was cleared.
      if (value !== null && value !== undefined) entry.after = restCellValue(field?.type, value);
      changed[field?.name ?? fieldId] = entry;
    }
    events.push({
      ...common,
      type: 'record.updated',
      data: { ...table, record_id: id, changed_fields: changed },
    });
  }
  for (const id of changes.destroyedRecordIds ?? [])
    events.push({ ...common, type: 'record.deleted', data: { ...table, record_id: id } });
  return events;
}

function schemaEvents(
  common: Common,
  table: { base_id: string; table_id: string },
  changes: WebhookTableChanges,
  names: Names,
): EventInput[] {
  const events: EventInput[] = [];
  const metadata = changes.changedMetadata;
  if (metadata) {
    const known = names.tables.get(table.table_id);
    const name = metadata.current.name ?? known?.name ?? table.table_id;
    const description = metadata.current.description ?? known?.description;
    const previous = metadata.previous;
    events.push({
      ...common,
      type: 'table.updated',
      data: {
        base_id: table.base_id,
        table: { id: table.table_id, name, ...(description ? { description } : {}) },
        ...(previous
          ? {
              previous: {
                ...(previous.name !== undefined ? { name: previous.name } : {}),
                ...(previous.description ? { description: previous.description } : {}),
              },
            }
          : {}),
      },
    });
  }
  for (const [id, field] of Object.entries(changes.createdFieldsById ?? {}))
    events.push({
      ...common,
      type: 'field.created',
      data: { ...table, field: { id, name: field.name, type: field.type } },
    });
  for (const [id, change] of Object.entries(changes.changedFieldsById ?? {})) {
    const known = names.fields.get(id);
    const field = {
      id,
      name: change.current.name ?? known?.name ?? id,
      type: change.current.type ?? known?.type ?? 'unknown',
    };
    const previous = change.previous;
    events.push({
      ...common,
      type: 'field.updated',
      data: { ...table, field, ...(previous ? { previous: { ...previous } } : {}) },
    });
  }
  return events;
}

/**
 * The platform's events for one payload, named with `names` (those in force right after it):
 * tables and fields created or changed, then records created, changed and deleted. Destroyed
 * tables and fields have no event type, and an error payload reports no change: neither
 * makes events.
 */
export function eventsOfPayload(payload: WebhookPayload, names: Names, source: PayloadSource): EventInput[] {
  if (payload.error) return [];
  const common: Common = { workspaceId: source.workspaceId, actor: actorOfPayload(payload) };
  const events: EventInput[] = [];
  for (const [tableId, created] of Object.entries(payload.createdTablesById ?? {})) {
    const known = names.tables.get(tableId);
    const name = created.metadata?.name ?? known?.name ?? tableId;
    const description = created.metadata?.description ?? known?.description;
    events.push({
      ...common,
      type: 'table.created',
      data: {
        base_id: source.baseId,
        table: { id: tableId, name, ...(description ? { description } : {}) },
      },
    });
    const records = { createdRecordsById: created.recordsById ?? {} };
    events.push(...recordEvents(common, { base_id: source.baseId, table_id: tableId }, records, names));
  }
  for (const [tableId, changes] of Object.entries(payload.changedTablesById ?? {})) {
    const table = { base_id: source.baseId, table_id: tableId };
    events.push(
      ...schemaEvents(common, table, changes, names),
      ...recordEvents(common, table, changes, names),
    );
  }
  return events;
}
