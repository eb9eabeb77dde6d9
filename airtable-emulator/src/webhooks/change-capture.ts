import type { RouteHandler, RouteRequest, RouteResponse, RouteWrapper } from '../http/router.ts';
import type { BaseData } from '../model/store.ts';
import type { V0Extra } from '../routes/v0-request.ts';
import { diffBase, isEmptyChangeSet } from './base-diff.ts';
import { snapshotBase } from './base-snapshot.ts';
import { cellConverter } from './cell-values-v2.ts';
import type { ChangeActor } from './types.ts';

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Makes every change a `/v0` write route makes to a watched base into webhook payloads. The
 * base is compared before and after the request rather than told about each write, so side
 * effects land in the same payload as Airtable reports them: the other side of a link, records
 * and select choices made by typecast, links cleared by a delete. Only bases with an active
 * webhook pay for the comparison.
 */
export function captureChanges(): RouteWrapper<V0Extra> {
  const queue = new KeyedQueue();
  return (handler, method, pattern) => {
    // Webhook management and listRecords (a POST) change no base data.
    if (!WRITES.has(method) || pattern.startsWith('/v0/bases/') || pattern.endsWith('/listRecords'))
      return handler;
    return (req) => {
      const baseId = req.params.baseId;
      if (!baseId || !req.extra.ctx.webhooks.isWatched(baseId)) return handler(req);
      // One captured write per base at a time: an upload awaits its file, and another write
      // landing in between would show up in both comparisons.
      return queue.run(baseId, () => captured(handler, req, baseId));
    };
  };
}

async function captured(
  handler: RouteHandler<V0Extra>,
  req: RouteRequest<V0Extra>,
  baseId: string,
): Promise<RouteResponse> {
  const { ctx } = req.extra;
  const base = ctx.store.bases.get(baseId);
  if (!base) return handler(req);
  const before = snapshotBase(base);
  const result = await handler(req);
  const changes = diffBase(before, base, cellConverter(ctx, base, before));
  if (!isEmptyChangeSet(changes) && ctx.store.bases.get(baseId) === base)
    ctx.webhooks.record(base, changes, actorOf(req, base));
  return result;
}

function actorOf(req: RouteRequest<V0Extra>, base: BaseData): ChangeActor {
  const user = req.extra.ctx.store.users.get(req.extra.grant.userId);
  return {
    source: req.extra.source,
    user: {
      id: req.extra.grant.userId,
      email: user?.email ?? '',
      ...(user?.name === undefined ? {} : { name: user.name }),
      permissionLevel: base.permissionLevel,
    },
  };
}

/** Runs tasks one after another per key. */
class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
