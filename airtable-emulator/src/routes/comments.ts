import { errors } from '../http/errors.ts';
import type { RouteResponse, Router } from '../http/router.ts';
import { type BaseData, type EmulatorStore, tableRecords } from '../model/store.ts';
import type { CommentData } from '../model/types.ts';
import { MAX_PAGE_SIZE } from '../records/list-params.ts';
import { bodyObject, resolve, type V0Extra, type V0Request } from './v0-request.ts';

const MAX_COMMENT_LENGTH = 100_000;

function commentJson(store: EmulatorStore, comment: CommentData): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: comment.id,
    author: { ...comment.author },
    text: comment.text,
    createdTime: comment.createdTime,
    lastUpdatedTime: comment.lastUpdatedTime,
  };
  if (comment.parentCommentId !== undefined) json.parentCommentId = comment.parentCommentId;
  const mentioned: Record<string, unknown> = {};
  for (const m of comment.text.matchAll(/@\[(usr[A-Za-z0-9]{14})\]/g)) {
    const user = store.users.get(m[1] as string);
    if (user)
      mentioned[user.id] = {
        type: 'user',
        id: user.id,
        displayName: user.name ?? user.email,
        email: user.email,
      };
  }
  if (Object.keys(mentioned).length > 0) json.mentioned = mentioned;
  return json;
}

function recordComments(
  req: V0Request,
  write: boolean,
): { base: BaseData; comments: CommentData[]; recordId: string } {
  const { base, table } = resolve(req, write ? 'data.recordComments:write' : 'data.recordComments:read');
  const recordId = req.params.recordId as string;
  if (!tableRecords(base, table.id).has(recordId)) throw errors.recordNotFound();
  let comments = base.comments.get(recordId);
  if (!comments) {
    comments = [];
    base.comments.set(recordId, comments);
  }
  return { base, comments, recordId };
}

function checkText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '')
    throw errors.invalidRequest('"text" must be a non-empty string');
  if (text.length > MAX_COMMENT_LENGTH)
    throw errors.invalidRequest(`"text" must be at most ${MAX_COMMENT_LENGTH} characters`);
  return text;
}

function list(req: V0Request): RouteResponse {
  const { comments } = recordComments(req, false);
  const raw = req.query.pageSize;
  const pageSize = raw === undefined ? MAX_PAGE_SIZE : Number(raw);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw errors.invalidPageSize(raw);
  const newestFirst = [...comments].reverse();
  let start = 0;
  if (req.query.offset !== undefined) {
    start = newestFirst.findIndex((c) => c.id === req.query.offset);
    if (start === -1) throw errors.invalidOffset(String(req.query.offset));
  }
  const page = newestFirst.slice(start, start + pageSize);
  const next = newestFirst[start + pageSize];
  return {
    status: 200,
    body: { comments: page.map((c) => commentJson(req.extra.ctx.store, c)), offset: next ? next.id : null },
  };
}

function create(req: V0Request): RouteResponse {
  const { ctx, grant } = req.extra;
  const { comments, recordId } = recordComments(req, true);
  const body = bodyObject(req.body);
  const text = checkText(body.text);
  const parent = body.parentCommentId;
  if (parent !== undefined && !comments.some((c) => c.id === parent)) {
    throw errors.invalidRequest(`parentCommentId ${JSON.stringify(parent)} is not a comment on this record`);
  }
  const user = ctx.store.users.get(grant.userId);
  const comment: CommentData = {
    id: ctx.ids('com'),
    recordId,
    author: { id: grant.userId, email: user?.email ?? '', ...(user?.name ? { name: user.name } : {}) },
    text,
    createdTime: ctx.store.nowIso(),
    lastUpdatedTime: null,
  };
  if (typeof parent === 'string') comment.parentCommentId = parent;
  comments.push(comment);
  ctx.store.touch();
  return { status: 200, body: commentJson(ctx.store, comment) };
}

function ownComment(req: V0Request): { comments: CommentData[]; comment: CommentData } {
  const { comments } = recordComments(req, true);
  const comment = comments.find((c) => c.id === req.params.commentId);
  if (!comment) throw errors.notFound();
  if (comment.author.id !== req.extra.grant.userId)
    throw errors.invalidPermissions('change comments by other users');
  return { comments, comment };
}

export function registerCommentRoutes(router: Router<V0Extra>): void {
  router
    .on('GET', '/v0/:baseId/:table/:recordId/comments', list)
    .on('POST', '/v0/:baseId/:table/:recordId/comments', create)
    .on('PATCH', '/v0/:baseId/:table/:recordId/comments/:commentId', (req) => {
      const { comment } = ownComment(req);
      comment.text = checkText(bodyObject(req.body).text);
      comment.lastUpdatedTime = req.extra.ctx.store.nowIso();
      req.extra.ctx.store.touch();
      return { status: 200, body: commentJson(req.extra.ctx.store, comment) };
    })
    .on('DELETE', '/v0/:baseId/:table/:recordId/comments/:commentId', (req) => {
      const { comments, comment } = ownComment(req);
      comments.splice(comments.indexOf(comment), 1);
      req.extra.ctx.store.touch();
      return { status: 200, body: { id: comment.id, deleted: true } };
    });
}
