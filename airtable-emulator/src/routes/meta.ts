import { canReachBase, requireAccess } from '../http/auth.ts';
import { errors } from '../http/errors.ts';
import type { RouteResponse, Router } from '../http/router.ts';
import { fieldJson, tableJson } from '../model/schema-json.ts';
import { createField, createTable, updateField, updateTable } from '../model/schema-ops.ts';
import { baseFor, bodyObject, resolve, type V0Extra, type V0Request } from './v0-request.ts';

const BASES_PAGE_SIZE = 1000;

function whoami(req: V0Request): RouteResponse {
  const { grant, ctx } = req.extra;
  const user = ctx.store.users.get(grant.userId);
  const body: Record<string, unknown> = { id: grant.userId, scopes: [...grant.scopes] };
  if (grant.scopes.includes('user.email:read') && user) body.email = user.email;
  return { status: 200, body };
}

function listBases(req: V0Request): RouteResponse {
  const { grant, ctx } = req.extra;
  requireAccess(grant, 'schema.bases:read');
  const bases = [...ctx.store.bases.values()].filter((b) => canReachBase(grant, b.id));
  const offset = req.query.offset;
  let start = 0;
  if (offset !== undefined) {
    const index = typeof offset === 'string' ? bases.findIndex((b) => b.id === offset) : -1;
    if (index === -1) throw errors.invalidOffset(String(offset));
    start = index;
  }
  const page = bases.slice(start, start + BASES_PAGE_SIZE);
  const body: Record<string, unknown> = {
    bases: page.map((b) => ({ id: b.id, name: b.name, permissionLevel: b.permissionLevel })),
  };
  const next = bases[start + BASES_PAGE_SIZE];
  if (next) body.offset = next.id;
  return { status: 200, body };
}

function includesVisibleFieldIds(include: unknown): boolean {
  const list = Array.isArray(include) ? include : [include];
  return list.includes('visibleFieldIds');
}

export function registerMetaRoutes(router: Router<V0Extra>): void {
  router
    .on('GET', '/v0/meta/whoami', whoami)
    .on('GET', '/v0/meta/bases', listBases)
    .on('GET', '/v0/meta/bases/:baseId/tables', (req) => {
      const base = baseFor(req, 'schema.bases:read');
      const visible = includesVisibleFieldIds(req.query.include);
      return {
        status: 200,
        body: { tables: base.tables.map((t) => tableJson(req.extra.ctx.formulas, t, visible)) },
      };
    })
    .on('POST', '/v0/meta/bases/:baseId/tables', (req) => {
      const base = baseFor(req, 'schema.bases:write');
      const table = createTable(req.extra.ctx, base, bodyObject(req.body));
      return { status: 200, body: tableJson(req.extra.ctx.formulas, table, false) };
    })
    .on('PATCH', '/v0/meta/bases/:baseId/tables/:table', (req) => {
      const { base, table } = resolve(req, 'schema.bases:write');
      updateTable(req.extra.ctx, base, table, bodyObject(req.body));
      return { status: 200, body: tableJson(req.extra.ctx.formulas, table, false) };
    })
    .on('POST', '/v0/meta/bases/:baseId/tables/:table/fields', (req) => {
      const { base, table } = resolve(req, 'schema.bases:write');
      const field = createField(req.extra.ctx, base, table, bodyObject(req.body));
      return { status: 200, body: fieldJson(req.extra.ctx.formulas, table, field) };
    })
    .on('PATCH', '/v0/meta/bases/:baseId/tables/:table/fields/:fieldId', (req) => {
      const { table } = resolve(req, 'schema.bases:write');
      const field = updateField(req.extra.ctx, table, req.params.fieldId as string, bodyObject(req.body));
      return { status: 200, body: fieldJson(req.extra.ctx.formulas, table, field) };
    });
}
