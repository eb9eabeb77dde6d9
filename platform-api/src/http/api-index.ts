import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Where the index sends browsers, and what it links for API clients. */
export const API_LINKS = Object.freeze({
  docs: '/docs',
  openapi: '/openapi.json',
  health: '/healthz',
});

export interface ApiIndex {
  name: string;
  version: string;
  links: typeof API_LINKS;
  /** Every documented operation, `METHOD /path`, as the OpenAPI document lists them. */
  endpoints: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A browser navigating to the API asks for HTML first; API clients ask for JSON or anything. */
function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('text/html');
}

function endpointsOf(app: FastifyInstance): string[] {
  const paths = (app.swagger() as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  return Object.entries(paths).flatMap(([path, operations]) =>
    METHODS.filter((method) => method in operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * `GET` at each of `urls` (`/` and `/v1` by default): for API clients, the API's name, version,
 * links and endpoints as JSON; for browsers (`Accept: text/html`), a redirect to the reference
 * at `/docs`. Not an operation of the OpenAPI document: it only points at it.
 */
export function registerApiIndex(
  app: FastifyInstance,
  urls: readonly string[],
  info: { name: string; version: string },
): void {
  let endpoints: string[] | undefined;
  for (const url of urls) {
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      if (wantsHtml(request)) return reply.redirect(API_LINKS.docs, 302);
      // The routes are all known once the app is ready, which is before any request.
      endpoints ??= endpointsOf(app);
      const index: ApiIndex = { ...info, links: API_LINKS, endpoints };
      return index;
    });
  }
}
