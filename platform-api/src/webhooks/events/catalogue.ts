import { z } from 'zod';

/**
 * Every event the platform emits, one zod schema per type for its `data`. Versioned as a whole:
 * a breaking change to a type's data makes a new version of that type (the envelope's
 * `version`), never an edit in place, because receivers parse these with schemas of their own.
 * Field names are snake_case like the REST API.
 */
export const EVENT_VERSION = 1;

const baseTable = { base_id: z.string(), table_id: z.string() };
const cellValues = z.record(z.string(), z.unknown()).describe('cell values by field name');

const changedField = z.object({
  before: z.unknown().optional().describe('absent when the value before is not known'),
  after: z.unknown().optional().describe('absent when the field was cleared'),
});

const table = z.object({ id: z.string(), name: z.string(), description: z.string().optional() });
const field = z.object({ id: z.string(), name: z.string(), type: z.string() });

export const EVENT_DATA = {
  'record.created': z
    .object({ ...baseTable, record: z.object({ id: z.string(), fields: cellValues }) })
    .describe('A record was created (one event per record)'),
  'record.updated': z
    .object({
      ...baseTable,
      record_id: z.string(),
      changed_fields: z.record(z.string(), changedField).describe('by field name'),
    })
    .describe('Cells of a record changed; `before` where it is known'),
  'record.deleted': z.object({ ...baseTable, record_id: z.string() }).describe('A record was deleted'),
  'table.created': z.object({ base_id: z.string(), table }).describe('A table was created'),
  'table.updated': z
    .object({ base_id: z.string(), table, previous: table.partial().optional() })
    .describe("A table's name or description changed"),
  'field.created': z.object({ ...baseTable, field }).describe('A field was created'),
  'field.updated': z
    .object({ ...baseTable, field, previous: field.partial().optional() })
    .describe("A field's name, description or options changed"),
  'member.added': z
    .object({ user_id: z.string(), email: z.string(), role: z.string() })
    .describe('Someone joined the workspace'),
  'member.removed': z
    .object({ user_id: z.string(), email: z.string().optional(), role: z.string() })
    .describe('Someone left the workspace or was removed'),
  'member.role_changed': z
    .object({
      user_id: z.string(),
      role: z.string(),
      previous_role: z.string(),
      api_keys_revoked: z.number().describe('keys above the new role, revoked with it'),
    })
    .describe("A member's role changed"),
  'api_key.created': z
    .object({ key_id: z.string(), name: z.string(), role: z.string() })
    .describe('An API key was created (never the key itself)'),
  'api_key.revoked': z.object({ key_id: z.string(), name: z.string() }).describe('An API key was revoked'),
  'connection.created': z
    .object({ connection_id: z.string(), name: z.string() })
    .describe('An Airtable connection was added'),
  'connection.deleted': z
    .object({ connection_id: z.string() })
    .describe('An Airtable connection was removed'),
  'tool.failed': z
    .object({ tool: z.string(), code: z.string(), message: z.string() })
    .describe('A tool call failed (its code is one of the tool error codes)'),
  'operation.interrupted': z
    .object({
      operation_id: z.string(),
      tool: z.string(),
      base_id: z.string(),
      table_id: z.string(),
      total: z.number(),
      landed: z.number().describe('records written before the interruption'),
    })
    .describe('A multi-record write stopped part way (its runner died); resume with its idempotency key'),
  'plugin.installed': z
    .object({ plugin: z.string(), version: z.string(), sha256: z.string() })
    .describe('A plugin was installed in the workspace'),
  'plugin.version_changed': z
    .object({
      plugin: z.string(),
      version: z.string(),
      previous_version: z.string(),
      change: z.enum(['upgrade', 'rollback']),
    })
    .describe('An installed plugin moved to another version (an upgrade or a rollback)'),
  'plugin.enabled': z.object({ plugin: z.string(), version: z.string() }).describe('A plugin was enabled'),
  'plugin.disabled': z
    .object({ plugin: z.string(), version: z.string() })
    .describe('An admin disabled a plugin'),
  'plugin.quarantined': z
    .object({
      plugin: z.string(),
      version: z.string(),
      faults: z.number().describe('consecutive faults that led to it'),
      last_error: z.object({ code: z.string(), message: z.string() }),
    })
    .describe(
      'A plugin that kept crashing, timing out or breaking its limits was disabled until an admin enables it',
    ),
  'plugin.uninstalled': z
    .object({ plugin: z.string(), version: z.string() })
    .describe('A plugin was uninstalled'),
  'webhook.disabled': z
    .object({
      endpoint_id: z.string(),
      reason: z.enum(['gone', 'failing', 'refused']),
      message: z.string().describe('what happened, for a person'),
    })
    .describe(
      'An endpoint was disabled: it answered 410 Gone, failed every delivery for 5 days, or its URL is now refused',
    ),
  'webhook.test': z.object({ message: z.string() }).describe('Sent by send_test_webhook; nothing changed'),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export type EventData<T extends EventType> = z.input<(typeof EVENT_DATA)[T]>;

export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_DATA, value);

/**
 * A plugin's own events (emit_event): `plugin.<plugin>.<type>`, three segments where the
 * platform's plugin events have two, so the two never meet. Their data is the plugin's JSON
 * object; the manifest names the types a plugin may emit.
 */
export type CustomEventType = `plugin.${string}.${string}`;
export type AnyEventType = EventType | CustomEventType;

const CUSTOM_EVENT_TYPE = /^plugin\.[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,39}$/;
const CUSTOM_EVENT_WILDCARD = /^plugin\.[a-z][a-z0-9_]{0,39}\.\*$/;

export const isCustomEventType = (value: string): value is CustomEventType => CUSTOM_EVENT_TYPE.test(value);

export const customEventType = (plugin: string, type: string): CustomEventType => `plugin.${plugin}.${type}`;

/** A custom event's data: any JSON object. */
export const customEventData = z.record(z.string(), z.unknown());

/** Who caused an event: a person, an API key, a chat conversation, a plugin, Airtable (outside changes), or the platform itself. */
export const ACTOR_TYPES = ['user', 'api_key', 'conversation', 'plugin', 'airtable', 'system'] as const;
export type EventActorType = (typeof ACTOR_TYPES)[number];

export const eventActorSchema = z.object({
  type: z.enum(ACTOR_TYPES),
  id: z.string(),
  label: z.string().optional(),
});

export const eventCauseSchema = z
  .object({
    request_id: z.string().optional(),
    tool: z.string().optional().describe('the tool whose call made the change'),
    operation_id: z.string().optional().describe('the write operation (get_operation) that made it'),
    conversation_id: z.string().optional(),
  })
  .describe('what made the change, where known');

/** The envelope of every event, as delivered (Standard Webhooks: `type`, `timestamp`, `data`). */
export function envelopeSchema<T extends EventType>(type: T) {
  return z.object({
    id: z.string().describe('evt_…; the same event to every endpoint'),
    type: z.literal(type),
    version: z.literal(EVENT_VERSION),
    timestamp: z.string().describe('when the change was committed, ISO 8601'),
    workspace_id: z.string(),
    actor: eventActorSchema,
    cause: eventCauseSchema.optional(),
    data: EVENT_DATA[type],
  });
}

export interface EventTypeDescription {
  type: EventType;
  version: number;
  description: string;
  /** JSON Schema (draft 2020-12) of the whole envelope. */
  schema: Record<string, unknown>;
}

let described: EventTypeDescription[] | undefined;

/** The catalogue as the API lists it; computed once. */
export function describeEventTypes(): EventTypeDescription[] {
  described ??= EVENT_TYPES.map((type) => {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(envelopeSchema(type), { io: 'output' });
    return { type, version: EVENT_VERSION, description: EVENT_DATA[type].description ?? type, schema };
  });
  return described;
}

/**
 * An endpoint's filter: exact types, `prefix.*` wildcards, or `*` for every type (plugins' own
 * `plugin.<plugin>.<type>` and `plugin.<plugin>.*` included). Checked when
 * the endpoint is saved, so a typo is refused instead of silently matching nothing.
 */
export function unknownEventPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => {
    if (pattern === '*') return false;
    // A plugin's events may be subscribed to before it is installed, as Svix allows any type.
    if (isCustomEventType(pattern) || CUSTOM_EVENT_WILDCARD.test(pattern)) return false;
    if (pattern.endsWith('.*')) {
      const prefix = pattern.slice(0, -1);
      return !EVENT_TYPES.some((type) => type.startsWith(prefix));
    }
    return !isEventType(pattern);
  });
}

export function matchesPatterns(type: string, patterns: readonly string[]): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}
