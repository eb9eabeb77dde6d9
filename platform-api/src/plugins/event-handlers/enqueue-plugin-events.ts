import { newId } from '../../crypto/opaque-token.ts';
import type { Queryable } from '../../db/database.ts';
import { matchesPatterns } from '../../webhooks/events/catalogue.ts';
import type { WrittenEvent } from '../../webhooks/outbox.ts';

/** Plugin events of a plugin's own making are not handed back to plugins: no loops between handlers. */
const OWN_EVENTS = /^plugin\./;

/**
 * The outbox subscriber that queues each event for the enabled plugins of its workspace whose
 * on_event hook names its type, in the event's own transaction: a rolled-back change queues
 * nothing, a committed one is never lost.
 */
export async function enqueuePluginEvents(tx: Queryable, events: readonly WrittenEvent[]): Promise<void> {
  const workspaces = [...new Set(events.filter((e) => !OWN_EVENTS.test(e.type)).map((e) => e.workspaceId))];
  if (workspaces.length === 0) return;
  const handlers = await tx.query<{ workspace_id: string; name: string; events: string[] }>(
    `SELECT i.workspace_id, i.name, ARRAY(SELECT jsonb_array_elements_text(v.manifest->'hooks'->'on_event'->'events')) AS events
     FROM plugin_installations i JOIN plugin_versions v ON v.id = i.version_id
     WHERE i.workspace_id = ANY($1::text[]) AND i.status = 'enabled' AND v.manifest->'hooks' ? 'on_event'`,
    [workspaces],
  );
  if (handlers.length === 0) return;
  const rows = {
    id: [] as string[],
    workspace: [] as string[],
    plugin: [] as string[],
    event: [] as string[],
  };
  for (const event of events) {
    if (OWN_EVENTS.test(event.type)) continue;
    for (const handler of handlers) {
      if (handler.workspace_id !== event.workspaceId || !matchesPatterns(event.type, handler.events))
        continue;
      rows.id.push(newId('ped'));
      rows.workspace.push(event.workspaceId);
      rows.plugin.push(handler.name);
      rows.event.push(event.id);
    }
  }
  if (rows.id.length === 0) return;
  await tx.query(
    `INSERT INTO plugin_event_deliveries (id, workspace_id, plugin, event_id, state, next_attempt_at, created_at)
     SELECT id, workspace_id, plugin, event_id, 'pending', now(), now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS d (id, workspace_id, plugin, event_id)`,
    [rows.id, rows.workspace, rows.plugin, rows.event],
  );
}
