import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  FastifySchemaCompiler,
  HTTPMethods,
} from 'fastify';
import { z } from 'zod';
import { PlatformError } from '../errors.ts';
import { type FieldError, locationOf } from './problem.ts';

/**
 * Routes declared with zod schemas. Zod validates requests (Fastify's Ajv is never used for
 * these routes), the same schemas become JSON Schema for the OpenAPI document, and replies
 * are serialized with plain `JSON.stringify` so nothing is silently dropped.
 *
 * Request schemas must be synchronous (no async refinements): Fastify discards the parsed
 * value of an async validator. Unknown object keys are stripped by `z.object` (use
 * `z.strictObject` only where extra keys must be rejected).
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Whether the route needs a bearer credential; the auth plugin enforces it. */
    auth?: RouteAuth;
  }
}

export type RouteAuth = 'none' | 'required';

/** Response schemas by status; `null` declares a reply without a body (e.g. 204). */
export type ResponseSchemas = Record<number, z.ZodType | null>;

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler may return: one of the declared response bodies, or the reply it already sent. */
export type ResponseBody<R extends ResponseSchemas> = {
  [K in keyof R]: R[K] extends z.ZodType ? z.output<R[K]> : undefined;
}[keyof R];

export type RouteRequest<TBody, TParams, TQuery> = FastifyRequest<{
  Body: Out<TBody>;
  Params: Out<TParams>;
  Querystring: Out<TQuery>;
}>;

export interface RouteDefinition<
  TBody extends z.ZodType | undefined,
  TParams extends z.ZodType | undefined,
  TQuery extends z.ZodType | undefined,
  TResponse extends ResponseSchemas,
> {
  method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  /** Path relative to the plugin prefix, with `:param` segments. */
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Unique across the API; becomes the OpenAPI operationId (camelCase verbNoun). */
  operationId: string;
  auth: RouteAuth;
  body?: TBody;
  params?: TParams;
  query?: TQuery;
  /** Documented replies; a schema's `.describe()` text becomes the response description. */
  response: TResponse;
  /** This route's largest request body in bytes, where the app's default is too small (a plugin's module). */
  bodyLimit?: number;
  handler: (
    request: RouteRequest<TBody, TParams, TQuery>,
    reply: FastifyReply,
  ) => Promise<ResponseBody<TResponse> | FastifyReply>;
}

/** Declare a route; an identity function that fixes the generic types for the handler. */
export function defineRoute<
  TBody extends z.ZodType | undefined = undefined,
  TParams extends z.ZodType | undefined = undefined,
  TQuery extends z.ZodType | undefined = undefined,
  TResponse extends ResponseSchemas = ResponseSchemas,
>(
  route: RouteDefinition<TBody, TParams, TQuery, TResponse>,
): RouteDefinition<TBody, TParams, TQuery, TResponse> {
  return route;
}

/** Add a declared route to `app` (usually the encapsulated instance a route-group plugin receives). */
export function registerRoute<
  TBody extends z.ZodType | undefined,
  TParams extends z.ZodType | undefined,
  TQuery extends z.ZodType | undefined,
  TResponse extends ResponseSchemas,
>(app: FastifyInstance, route: RouteDefinition<TBody, TParams, TQuery, TResponse>): void {
  const parts: Record<string, z.ZodType | undefined> = {
    body: route.body,
    params: route.params,
    querystring: route.query,
  };
  app.route({
    method: route.method,
    url: route.url,
    schema: openApiSchema(route),
    config: { auth: route.auth },
    ...(route.bodyLimit !== undefined ? { bodyLimit: route.bodyLimit } : {}),
    validatorCompiler: ({ httpPart }) => zodValidator(httpPart ? parts[httpPart] : undefined, httpPart),
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: route.handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  });
}

function openApiSchema(route: {
  summary: string;
  description?: string;
  tags: string[];
  operationId: string;
  auth: RouteAuth;
  body?: z.ZodType | undefined;
  params?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  response: ResponseSchemas;
}): FastifySchema {
  const schema: FastifySchema & Record<string, unknown> = {
    summary: route.summary,
    tags: route.tags,
    operationId: route.operationId,
    response: Object.fromEntries(
      Object.entries(route.response).map(([status, response]) => [
        status,
        responseSchema(Number(status), response),
      ]),
    ),
  };
  if (route.description !== undefined) schema.description = route.description;
  if (route.auth === 'required') schema.security = [{ bearer: [] }];
  if (route.body !== undefined) schema.body = toJsonSchema(route.body, 'input');
  if (route.params !== undefined) schema.params = toJsonSchema(route.params, 'input');
  if (route.query !== undefined) schema.querystring = toJsonSchema(route.query, 'input');
  return schema;
}

/** Error replies are documented as `application/problem+json`, the type the error handler sends. */
function responseSchema(status: number, response: z.ZodType | null): Record<string, unknown> {
  if (response === null) return { description: 'No content', type: 'null' };
  const json = toJsonSchema(response, 'output');
  if (status < 400) return json;
  const description = typeof json.description === 'string' ? json.description : 'Problem';
  return { description, content: { 'application/problem+json': { schema: json } } };
}

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1. */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return json;
}

function zodValidator(
  schema: z.ZodType | undefined,
  httpPart: string | undefined,
): ReturnType<FastifySchemaCompiler<unknown>> {
  if (schema === undefined) return () => true;
  const location = locationOf(httpPart);
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: validationError(location, result.error) };
  };
}

function validationError(location: NonNullable<FieldError['location']>, error: z.ZodError): PlatformError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : location,
    location,
    message: issue.message,
  }));
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new PlatformError(
    'VALIDATION_FAILED',
    `the request ${location} is invalid: ${first.field}: ${first.message}${more}`,
    { errors },
  );
}
