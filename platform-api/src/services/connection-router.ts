import type { AirtableGateway, BaseSummary } from '@airsuite/airtable-gateway';

/** One of a workspace's connections, as the router sees it. */
export interface ConnectionRoute {
  id: string;
  client: AirtableGateway;
  /** The bases an admin limited this connection to; absent when it may reach all its token can. */
  bases?: readonly string[];
}

export interface ConnectionRouterOptions {
  /** The workspace's connections, the default one first. */
  routes: readonly ConnectionRoute[];
  /** The bases an unlimited connection's token reaches (cached by the caller: it costs a listBases). */
  reachable(route: ConnectionRoute): Promise<ReadonlySet<string>>;
}

/** Every AirtableGateway method whose first argument is a base id. */
const BASE_METHODS = [
  'listPage',
  'listRecords',
  'getRecord',
  'createMany',
  'updateMany',
  'upsertMany',
  'deleteMany',
  'getBaseSchema',
  'createTable',
  'updateTable',
  'createField',
  'updateField',
  'listComments',
  'createComment',
  'updateComment',
  'deleteComment',
  'uploadAttachment',
  'createWebhook',
  'listWebhooks',
  'deleteWebhook',
  'refreshWebhook',
  'listWebhookPayloads',
] as const satisfies readonly (keyof AirtableGateway)[];

/**
 * The connection that covers a base: the one limited to that base, else the unlimited one
 * whose token reaches it, else the first unlimited one, else the default (whose answer then
 * says the base is unknown). `routes` must not be empty.
 */
export async function routeForBase(
  { routes, reachable }: ConnectionRouterOptions,
  baseId: string,
): Promise<ConnectionRoute> {
  const fallback = routes[0];
  if (fallback === undefined) throw new Error('routeForBase: no connection');
  const limited = routes.find((route) => route.bases?.includes(baseId));
  if (limited) return limited;
  const open = routes.filter((route) => route.bases === undefined);
  if (open.length <= 1) return open[0] ?? fallback;
  for (const route of open) {
    const bases = await reachable(route).catch(() => new Set<string>());
    if (bases.has(baseId)) return route;
  }
  return open[0] ?? fallback;
}

/**
 * A workspace with several Airtable connections (say, two Airtable accounts) answers as one
 * client: each call goes to the connection that covers its base — the one limited to that
 * base, else the unlimited one whose token reaches it, else the default (whose answer then
 * says the base is unknown). Listing bases merges every connection's. The clients belong to
 * the caller's pool: closing the router closes nothing.
 */
export function createConnectionRouter(options: ConnectionRouterOptions): AirtableGateway {
  const { routes } = options;
  const first = routes[0];
  if (first === undefined) throw new Error('createConnectionRouter: no connection');
  const fallback: ConnectionRoute = first;
  if (routes.length === 1) return fallback.client;

  const routeFor = (baseId: string) => routeForBase(options, baseId);

  function routed(priority?: Parameters<AirtableGateway['withPriority']>[0]): AirtableGateway {
    const clientOf = (route: ConnectionRoute) =>
      priority ? route.client.withPriority(priority) : route.client;
    const byBase = Object.fromEntries(
      BASE_METHODS.map((name) => [
        name,
        async (baseId: string, ...rest: unknown[]) => {
          const client = clientOf(await routeFor(baseId)) as unknown as Record<
            string,
            (...args: unknown[]) => Promise<unknown>
          >;
          return client[name]?.(baseId, ...rest);
        },
      ]),
    ) as Pick<AirtableGateway, (typeof BASE_METHODS)[number]>;

    return {
      ...byBase,
      priority: priority ?? fallback.client.priority,
      withPriority: (next) => routed(next),
      async *listAll(baseId, table, params, callOptions) {
        yield* clientOf(await routeFor(baseId)).listAll(baseId, table, params, callOptions);
      },
      whoami: (callOptions) => clientOf(fallback).whoami(callOptions),
      async listBases(callOptions) {
        const seen = new Map<string, BaseSummary>();
        for (const route of routes) {
          for (const base of await clientOf(route).listBases(callOptions)) {
            if (route.bases && !route.bases.includes(base.id)) continue;
            if (!seen.has(base.id)) seen.set(base.id, base);
          }
        }
        return [...seen.values()];
      },
      async close() {},
    };
  }

  return routed();
}
