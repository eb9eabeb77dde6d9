import { parseQuery } from '@airsuite/airtable-gateway/wire';
import type { EmulatorContext } from '../context.ts';
import { AirtableApiError } from '../http/airtable-error.ts';
import { ALL_SCOPES } from '../http/auth.ts';
import { errors } from '../http/errors.ts';
import { type RouteResponse, type Router, splitPath } from '../http/router.ts';
import type { V0Extra } from '../routes/v0-request.ts';

export interface ClientChangeInput {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** A `/v0` path with its query, e.g. `/v0/app…/Deals/rec…` or `/v0/meta/bases/app…/tables`. */
  path: string;
  body?: unknown;
  /** The person making the change; the base owner (the first user) when absent. */
  userId?: string;
}

export interface ClientChangeDeps {
  router: Router<V0Extra>;
  ctx: EmulatorContext;
  ownerId: () => string;
  /** The emulator's own origin, for the URLs an upload hands out. */
  origin: () => string;
}

/**
 * Applies a `/v0` write as a person in Airtable's UI would make it: webhook payloads say
 * `source: 'client'` with that person as `sourceMetadata.user`. The change runs through the same
 * route as an API call (same validation, same answer), but no token, scope or rate limit applies,
 * as none does to someone editing a grid.
 */
export async function applyAsClient(
  deps: ClientChangeDeps,
  input: ClientChangeInput,
): Promise<RouteResponse> {
  const url = new URL(input.path, 'http://emulator.local');
  const segments = splitPath(url.pathname) ?? [];
  // A person in the UI edits data and schema; webhooks and the base list are API-only.
  if (segments[0] !== 'v0' || segments[1] === 'bases' || (segments[1] === 'meta' && segments.length < 4))
    throw new AirtableApiError(422, 'EMULATOR_INVALID_REQUEST', 'path must be a /v0 record or schema path');
  const userId = input.userId ?? deps.ownerId();
  if (!deps.ctx.store.users.has(userId))
    throw new AirtableApiError(422, 'EMULATOR_INVALID_REQUEST', `No user ${userId}`);
  const route = deps.router.match(input.method, segments);
  if (route === undefined || route === 'method') throw errors.notFound();
  return route.handler({
    params: route.params,
    query: parseQuery(url.searchParams),
    body: input.body,
    extra: {
      ctx: deps.ctx,
      grant: { token: '', userId, scopes: [...ALL_SCOPES], bases: 'all' },
      origin: deps.origin(),
      source: 'client',
    },
  });
}
