import type { QueryValue } from '@airsuite/airtable-gateway/wire';

export interface RouteRequest<Extra> {
  params: Record<string, string>;
  query: Record<string, QueryValue>;
  body: unknown;
  extra: Extra;
}

export interface RouteResponse {
  status: number;
  body: unknown;
}

export type RouteHandler<Extra> = (req: RouteRequest<Extra>) => RouteResponse | Promise<RouteResponse>;

export interface RouteOptions {
  /** A larger body limit than the server's, for the one route whose body is a file. */
  maxBodyBytes?: number;
}

interface Route<Extra> extends RouteOptions {
  method: string;
  parts: string[];
  handler: RouteHandler<Extra>;
}

export interface RouteMatch<Extra> extends RouteOptions {
  handler: RouteHandler<Extra>;
  params: Record<string, string>;
}

/** Wraps each handler as it is added (for concerns that span routes, such as change capture). */
export type RouteWrapper<Extra> = (
  handler: RouteHandler<Extra>,
  method: string,
  pattern: string,
) => RouteHandler<Extra>;

/**
 * A small path router: `:name` segments capture (URL-decoded), literal segments win over
 * captures at the same position because routes are tried in the order they were added.
 */
export class Router<Extra> {
  readonly #routes: Route<Extra>[] = [];

  constructor(private readonly wrap?: RouteWrapper<Extra>) {}

  on(method: string, pattern: string, handler: RouteHandler<Extra>, options: RouteOptions = {}): this {
    const wrapped = this.wrap ? this.wrap(handler, method, pattern) : handler;
    this.#routes.push({ method, parts: pattern.split('/').filter(Boolean), handler: wrapped, ...options });
    return this;
  }

  /** The matching route, `'method'` when only the method is wrong, or undefined. */
  match(method: string, segments: string[]): RouteMatch<Extra> | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method)
        return {
          handler: route.handler,
          params,
          ...(route.maxBodyBytes === undefined ? {} : { maxBodyBytes: route.maxBodyBytes }),
        };
      pathMatched = true;
    }
    return pathMatched ? 'method' : undefined;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

/** Splits a path into decoded segments; undefined when a segment is not valid percent-encoding. */
export function splitPath(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
