import { newId } from '../crypto/opaque-token.ts';
import type { Queryable } from '../db/database.ts';
import { jsonbSafe } from '../db/jsonb-safe.ts';
import {
  type AnyEventType,
  type CustomEventType,
  customEventData,
  EVENT_DATA,
  EVENT_VERSION,
  type EventActorType,
  type EventData,
  type EventType,
  isEventType,
  matchesPatterns,
} from './events/catalogue.ts';

/** Workers LISTEN here; the NOTIFY is sent by the change's own transaction, so only a commit wakes them. */
export const WEBHOOK_CHANNEL = 'airsuite_webhooks';

/**
 * Event streams (`webhooks listen`) LISTEN here: every batch of events NOTIFYs it, payload the
 * workspace id, whether or not an endpoint subscribes (workers are not woken for nothing).
 */
export const WEBHOOK_EVENTS_CHANNEL = 'airsuite_webhook_events';

export interface EventInput<T extends EventType = EventType> {
  workspaceId: string;
  type: T;
  actor: { type: EventActorType; id: string; label?: string };
  cause?: { requestId?: string; tool?: string; operationId?: string; conversationId?: string };
  data: EventData<T>;
}

/** A plugin's own event (emit_event): its data is the plugin's JSON object. */
export interface CustomEventInput extends Omit<EventInput, 'type' | 'data'> {
  type: CustomEventType;
  data: Record<string, unknown>;
}

export interface EmittedEvent {
  id: string;
  type: AnyEventType;
  /** Messages queued for delivery, one per matching enabled endpoint. */
  messages: number;
}

export interface EmitOptions {
  /** Only to this endpoint, whatever its filter (a test event), if it is on. */
  endpointId?: string;
}

/** An event as written, for those who queue work of their own beside its messages. */
export interface WrittenEvent {
  id: string;
  workspaceId: string;
  type: AnyEventType;
}

/** Runs in the emitting transaction, after the events are written (plugins' on_event queue). */
export type EventSubscriber = (tx: Queryable, events: readonly WrittenEvent[]) => Promise<void>;

export interface Outbox {
  /**
   * Writes events and their messages in `tx`, the transaction of the change they report: a
   * rollback leaves nothing, a commit leaves every message due at once.
   */
  emit(
    tx: Queryable,
    events: readonly (EventInput | CustomEventInput)[],
    options?: EmitOptions,
  ): Promise<EmittedEvent[]>;
  /** Adds work queued in the same transaction as every later emit (test events to one endpoint aside). */
  subscribe(subscriber: EventSubscriber): void;
}

function envelope(id: string, at: Date, input: EventInput | CustomEventInput) {
  const { requestId, tool, operationId, conversationId } = input.cause ?? {};
  const cause = Object.fromEntries(
    Object.entries({
      request_id: requestId,
      tool,
      operation_id: operationId,
      conversation_id: conversationId,
    }).filter(([, value]) => value !== undefined),
  );
  return {
    id,
    type: input.type,
    version: EVENT_VERSION,
    timestamp: at.toISOString(),
    workspace_id: input.workspaceId,
    actor: input.actor,
    ...(Object.keys(cause).length > 0 ? { cause } : {}),
    // Parsing our own data catches a drift between emitter and catalogue in the specs.
    data: isEventType(input.type)
      ? EVENT_DATA[input.type].parse(input.data)
      : customEventData.parse(input.data),
  };
}

async function matchingEndpoints(tx: Queryable, workspaceId: string, only?: string) {
  const rows = await tx.query<{ id: string; event_types: string[] }>(
    `SELECT id, event_types FROM webhook_endpoints WHERE workspace_id = $1 AND enabled${only ? ' AND id = $2' : ''}`,
    only ? [workspaceId, only] : [workspaceId],
  );
  return only ? rows.map((row) => ({ ...row, event_types: ['*'] })) : rows;
}

/** Column arrays for one multi-row INSERT … SELECT FROM unnest(…): one round trip per batch. */
interface Rows {
  events: { id: string[]; workspace: string[]; type: string[]; payload: string[] };
  messages: { id: string[]; workspace: string[]; endpoint: string[]; event: string[] };
}

async function insertRows(tx: Queryable, rows: Rows, at: Date): Promise<void> {
  const { events, messages } = rows;
  // WITH ORDINALITY keeps seq in the order the events were given.
  await tx.query(
    `INSERT INTO webhook_events (id, workspace_id, type, payload, created_at)
     SELECT id, workspace_id, type, payload::json, $5
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
       AS e (id, workspace_id, type, payload, n)
     ORDER BY n`,
    [events.id, events.workspace, events.type, events.payload, at],
  );
  if (messages.id.length > 0) {
    await tx.query(
      `INSERT INTO webhook_messages (id, workspace_id, endpoint_id, event_id, state, next_attempt_at, created_at)
       SELECT id, workspace_id, endpoint_id, event_id, 'pending', $5, $5
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS m (id, workspace_id, endpoint_id, event_id)`,
      [messages.id, messages.workspace, messages.endpoint, messages.event, at],
    );
  }
  // One statement for both channels: the workers' (when there is work), the streams' (always).
  await tx.query(
    `SELECT pg_notify($1, w) FROM unnest($2::text[]) AS w${messages.id.length > 0 ? ' UNION ALL SELECT pg_notify($3, $4)' : ''}`,
    messages.id.length > 0
      ? [WEBHOOK_EVENTS_CHANNEL, [...new Set(events.workspace)], WEBHOOK_CHANNEL, '']
      : [WEBHOOK_EVENTS_CHANNEL, [...new Set(events.workspace)]],
  );
}

export function createOutbox(options: { now?: () => Date } = {}): Outbox {
  const now = options.now ?? (() => new Date());
  const subscribers: EventSubscriber[] = [];
  return {
    subscribe: (subscriber) => void subscribers.push(subscriber),
    async emit(tx, events, options = {}) {
      if (events.length === 0) return [];
      const at = now();
      const endpointsOf = new Map<string, { id: string; event_types: string[] }[]>();
      const rows: Rows = {
        events: { id: [], workspace: [], type: [], payload: [] },
        messages: { id: [], workspace: [], endpoint: [], event: [] },
      };
      const emitted: EmittedEvent[] = [];
      for (const input of events) {
        const endpoints =
          endpointsOf.get(input.workspaceId) ??
          (await matchingEndpoints(tx, input.workspaceId, options.endpointId));
        endpointsOf.set(input.workspaceId, endpoints);
        const id = newId('evt', at.getTime());
        rows.events.id.push(id);
        rows.events.workspace.push(input.workspaceId);
        rows.events.type.push(input.type);
        rows.events.payload.push(JSON.stringify(jsonbSafe(envelope(id, at, input))));
        const targets = endpoints.filter((endpoint) => matchesPatterns(input.type, endpoint.event_types));
        for (const endpoint of targets) {
          rows.messages.id.push(newId('msg', at.getTime()));
          rows.messages.workspace.push(input.workspaceId);
          rows.messages.endpoint.push(endpoint.id);
          rows.messages.event.push(id);
        }
        emitted.push({ id, type: input.type, messages: targets.length });
      }
      await insertRows(tx, rows, at);
      if (!options.endpointId && subscribers.length > 0) {
        const written = emitted.map((e, i) => ({
          id: e.id,
          type: e.type,
          workspaceId: rows.events.workspace[i] as string,
        }));
        for (const subscriber of subscribers) await subscriber(tx, written);
      }
      return emitted;
    },
  };
}
