import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { EventData, EventType } from './events/catalogue.ts';
import type { EventInput } from './outbox.ts';

/**
 * The event of a change a caller made through a platform service: in the caller's workspace,
 * by the caller, caused by their request (when the service was given its id).
 */
export function changeEvent<T extends EventType>(
  access: WorkspaceAccess,
  requestId: string | undefined,
  type: T,
  data: EventData<T>,
): EventInput<T> {
  return {
    workspaceId: access.workspaceId,
    type,
    actor: actorOf(access.principal),
    ...(requestId ? { cause: { requestId } } : {}),
    data,
  };
}

/** One `api_key.revoked` per key: a receiver auditing keys sees every key stop, whatever stopped it. */
export const keysRevokedEvents = (
  access: WorkspaceAccess,
  requestId: string | undefined,
  keys: readonly { id: string; name: string }[],
): EventInput<'api_key.revoked'>[] =>
  keys.map((key) => changeEvent(access, requestId, 'api_key.revoked', { key_id: key.id, name: key.name }));
