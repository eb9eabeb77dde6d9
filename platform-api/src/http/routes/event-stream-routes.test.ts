import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from '../../testing/platform-rig.ts';
import { createHttpApp } from '../create-app.ts';
import { installAuthHook } from './auth-hook.ts';
import { eventStreamRoutes } from './event-stream-routes.ts';

/**
 * `GET /v1/workspaces/:id/events/stream`, the stream `airsuite webhooks listen` holds: over a
 * real socket, since an event stream never ends by itself.
 */

const rig = usePlatformRig();
let owner: RigUser;
let workspace: string;
let other: string;
let base: string;

interface Frame {
  id?: string;
  event: string;
  data: string;
}

interface OpenStream {
  status: number;
  frames: Frame[];
  /** Resolves with the frames once `done(frames)` holds. */
  until(done: (frames: Frame[]) => boolean, timeoutMs?: number): Promise<Frame[]>;
  /** Settles when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** The frames of a text/event-stream, as the WHATWG rules read them (what the specs need of them). */
function parseFrame(block: string): Frame | undefined {
  const frame: Partial<Frame> & { data?: string } = {};
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
  }
  return frame.data === undefined
    ? undefined
    : { event: frame.event ?? 'message', data: frame.data, ...frame };
}

/**
 * Opens the stream with node:http, not fetch: undici opens a fresh connection to replace an
 * aborted one, and a connection that never sends a request holds up the server's close.
 */
function openStream(origin: string, path: string, headers: Record<string, string>): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = get(`${origin}${path}`, { headers, agent: false }, (response) => {
      const frames: Frame[] = [];
      const ended = new Promise<void>((settle) => {
        response.on('close', settle);
        response.on('error', () => settle());
      });
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = parseFrame(buffer.slice(0, end));
          if (frame) frames.push(frame);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      });
      resolve({
        status: response.statusCode ?? 0,
        frames,
        ended,
        close: () => request.destroy(),
        async until(done, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          while (!done(frames)) {
            if (Date.now() > deadline) throw new Error(`timed out; frames: ${JSON.stringify(frames)}`);
            await new Promise((next) => setTimeout(next, 20));
          }
          return frames;
        },
      });
    });
    request.on('error', reject);
  });
}

const events = (frames: Frame[]) => frames.filter((frame) => frame.event !== 'ready');

/** The workspace's stored events: seq and the envelope text as stored. */
async function stored(workspaceId: string) {
  return rig
    .db()
    .query<{ seq: string; type: string; payload: string }>(
      'SELECT seq::text AS seq, type, payload::text AS payload FROM webhook_events WHERE workspace_id = $1 ORDER BY webhook_events.seq',
      [workspaceId],
    );
}

const streamPath = (workspaceId: string, query = '') => `/v1/workspaces/${workspaceId}/events/stream${query}`;

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  other = await rig.workspace(owner);
  await rig.app().listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(rig.app().server.address() as AddressInfo).port}`;
});

describe('GET /v1/workspaces/:id/events/stream', () => {
  it('starts from now: a ready frame with the resume point, then each new event as it commits, the envelope as stored', async () => {
    const stream = await openStream(base, streamPath(workspace), owner.auth);
    expect(stream.status).toBe(200);
    const [ready] = await stream.until((frames) => frames.length >= 1);
    expect(ready).toMatchObject({ event: 'ready' });
    expect(JSON.parse(ready?.data ?? '{}')).toEqual({ after: ready?.id });
    const before = (await stored(workspace)).at(-1);
    expect(ready?.id).toBe(before?.seq);

    await rig.apiKey(owner, workspace, 'viewer');
    const [event] = events(await stream.until((frames) => events(frames).length >= 1));
    const [row] = (await stored(workspace)).slice(-1);
    expect(event).toEqual({ id: row?.seq, event: 'api_key.created', data: row?.payload });
    stream.close();
  });

  it('resumes after a given seq (Last-Event-ID, or ?after=), missing nothing and repeating nothing', async () => {
    for (let i = 0; i < 3; i++) await rig.apiKey(owner, workspace, 'viewer');
    const rows = await stored(workspace);
    const from = rows.at(-3)?.seq ?? '0';
    const expected = rows.slice(-2).map((row) => ({ id: row.seq, event: row.type, data: row.payload }));

    const byHeader = await openStream(base, streamPath(workspace), { ...owner.auth, 'last-event-id': from });
    expect(events(await byHeader.until((frames) => events(frames).length >= 2))).toEqual(expected);
    const byQuery = await openStream(base, streamPath(workspace, `?after=${from}`), owner.auth);
    expect(events(await byQuery.until((frames) => events(frames).length >= 2))).toEqual(expected);
    // Nothing more turns up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events(byHeader.frames)).toHaveLength(2);
    byHeader.close();
    byQuery.close();
  });

  it('filters by type with the endpoints’ patterns, and refuses an unknown one with its code', async () => {
    const from = (await stored(workspace)).at(-1)?.seq ?? '0';
    const stream = await openStream(
      base,
      streamPath(workspace, `?after=${from}&types=record.*,member.added`),
      owner.auth,
    );
    await rig.apiKey(owner, workspace, 'viewer');
    const member = await rig.user('member');
    await rig.addMember(owner, workspace, member, 'viewer');
    const created = await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      auth: owner.auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: 'Streamed' } }] },
    });
    expect(created.statusCode).toBe(200);
    const got = events(await stream.until((frames) => events(frames).length >= 2));
    expect(got.map((frame) => frame.event)).toEqual(['member.added', 'record.created']);
    expect(JSON.parse(got[1]?.data ?? '{}')).toMatchObject({
      type: 'record.created',
      workspace_id: workspace,
      data: { base_id: SAMPLE_CRM, record: { fields: { Name: 'Streamed' } } },
    });
    stream.close();

    const unknown = await fetch(`${base}${streamPath(workspace, '?types=record.*,recrd.created')}`, {
      headers: owner.auth,
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'WEBHOOK_EVENT_TYPE_UNKNOWN' });
  });

  it("sends only the caller's workspace; a key of another workspace sees nothing of it", async () => {
    const from = (await stored(workspace)).at(-1)?.seq ?? '0';
    const stream = await openStream(base, streamPath(workspace, `?after=${from}`), owner.auth);
    await rig.apiKey(owner, other, 'viewer');
    await rig.apiKey(owner, workspace, 'viewer');
    const got = events(await stream.until((frames) => events(frames).length >= 1));
    expect(got.map((frame) => JSON.parse(frame.data).workspace_id)).toEqual([workspace]);
    stream.close();

    const otherAdmin = await rig.apiKey(owner, other, 'admin');
    const refused = await fetch(`${base}${streamPath(workspace)}`, { headers: otherAdmin.auth });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
    const anonymous = await fetch(`${base}${streamPath(workspace)}`);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('refuses editors (a key or a member) with FORBIDDEN; an admin key of the workspace is served', async () => {
    const editorKey = await rig.apiKey(owner, workspace, 'editor');
    const editor = await rig.user('editor');
    await rig.addMember(owner, workspace, editor, 'editor');
    for (const auth of [editorKey.auth, editor.auth]) {
      const refused = await fetch(`${base}${streamPath(workspace)}`, { headers: auth });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    const adminKey = await rig.apiKey(owner, workspace, 'admin');
    const served = await openStream(base, streamPath(workspace), adminKey.auth);
    expect(served.status).toBe(200);
    served.close();
  });

  it('refuses a malformed resume point', async () => {
    const badHeader = await fetch(`${base}${streamPath(workspace)}`, {
      headers: { ...owner.auth, 'last-event-id': 'evt_1' },
    });
    expect(badHeader.status).toBe(400);
    expect(await badHeader.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const badQuery = await fetch(`${base}${streamPath(workspace, '?after=-1')}`, { headers: owner.auth });
    expect(await badQuery.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('is documented in the OpenAPI document as text/event-stream', async () => {
    const document = (await rig.call('GET', '/openapi.json')).json();
    const operation = document.paths['/v1/workspaces/{id}/events/stream'].get;
    expect(operation.operationId).toBe('streamWorkspaceEvents');
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['after', 'types']),
    );
  });
});

describe('an event stream over its lifetime', () => {
  let app: FastifyInstance;
  let origin: string;

  beforeAll(async () => {
    // Its own app, with short intervals, to close it while streams are open.
    app = createHttpApp();
    installAuthHook(app, rig.platform());
    await app.register(eventStreamRoutes(rig.platform(), { recheckMs: 50, pollMs: 100 }), { prefix: '/v1' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('ends with an error frame once its key is revoked', async () => {
    const key = await rig.apiKey(owner, workspace, 'admin');
    const stream = await openStream(origin, streamPath(workspace), key.auth);
    await stream.until((frames) => frames.length >= 1);
    const revoked = await rig.call('DELETE', `/v1/workspaces/${workspace}/api-keys/${key.id}`, {
      auth: owner.auth,
    });
    expect(revoked.statusCode).toBe(204);
    await stream.ended;
    expect(stream.frames.at(-1)?.event).toBe('error');
    expect(JSON.parse(stream.frames.at(-1)?.data ?? '{}')).toMatchObject({ code: 'AUTH_API_KEY_REVOKED' });
  });

  it('ends cleanly when the server shuts down', async () => {
    const stream = await openStream(origin, streamPath(workspace), owner.auth);
    await stream.until((frames) => frames.length >= 1);
    const closing = app.close();
    await stream.ended;
    await closing;
    expect(stream.frames.map((frame) => frame.event)).toEqual(['ready']);
  });
});
