import type { EmulatorContext } from '../context.ts';
import { canReachBase, requireAccess, type Scope, type TokenGrant } from '../http/auth.ts';
import type { RouteRequest } from '../http/router.ts';
import { type BaseData, findTable } from '../model/store.ts';
import type { TableDef } from '../model/types.ts';
import type { ChangeSource } from '../webhooks/types.ts';

/** What the v0 routes get besides params, query and body. */
export interface V0Extra {
  ctx: EmulatorContext;
  grant: TokenGrant;
  /** The origin the caller reached the emulator on (see `requestOrigin`), for URLs it hands out. */
  origin: string;
  /** Who webhook payloads say made this request's changes: the API, or a person (the admin API). */
  source: ChangeSource;
}

export type V0Request = RouteRequest<V0Extra>;

/** Checks scope and base access, then resolves the base (404) and, if named, the table (403). */
export function resolve(req: V0Request, scope: Scope): { base: BaseData; table: TableDef } {
  const base = baseFor(req, scope);
  return { base, table: findTable(base, req.params.table as string) };
}

export function baseFor(req: V0Request, scope: Scope): BaseData {
  const baseId = req.params.baseId as string;
  // Access first: a token limited to some bases must not learn which other bases exist.
  if (!canReachBase(req.extra.grant, baseId)) requireAccess(req.extra.grant, scope, baseId);
  const base = req.extra.ctx.store.base(baseId);
  requireAccess(req.extra.grant, scope, baseId);
  return base;
}

export function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
