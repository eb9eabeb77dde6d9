import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { PlatformRig } from '../../testing/platform-rig.ts';

/** Test support for the change-capture specs: outside changes, the events they made, Airtable's side. */

export interface CapturedEvent {
  id: string;
  type: string;
  actor: { type: string; id: string; label?: string };
  data: Record<string, unknown> & { record?: { id: string; fields: Record<string, unknown> } };
}

/** A change made as a person in Airtable's UI (the emulator's `source: 'client'`). */
export async function clientChange(
  rig: PlatformRig,
  input: { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; path: string; body?: unknown; userId?: string },
): Promise<Record<string, unknown>> {
  const res = await fetch(`${rig.emulator().url}/__emulator/client-change`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`client change failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Airtable's API as the connection's token sees it (to look at, or meddle with, the webhooks). */
export async function airtable(
  rig: PlatformRig,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${rig.emulator().url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${rig.airtableToken()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function webhooksOf(
  rig: PlatformRig,
  baseId: string,
): Promise<{ id: string; notificationUrl: string | null; isHookEnabled: boolean; expirationTime: string }[]> {
  const { body } = await airtable(rig, 'GET', `/v0/bases/${baseId}/webhooks`);
  return body.webhooks as never;
}

/** Every event of the workspace, oldest first. */
export async function eventsOf(rig: PlatformRig, workspaceId: string): Promise<CapturedEvent[]> {
  const rows = await rig
    .db()
    .query<{ payload: CapturedEvent | string }>(
      'SELECT payload FROM webhook_events WHERE workspace_id = $1 ORDER BY seq',
      [workspaceId],
    );
  return rows.map((row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload));
}

/** Events of outside changes (actor type `airtable`) of one type about one record, table or field id. */
export async function outsideEvents(
  rig: PlatformRig,
  workspaceId: string,
  type: string,
  about?: string,
): Promise<CapturedEvent[]> {
  return (await eventsOf(rig, workspaceId)).filter(
    (event) => event.actor.type === 'airtable' && event.type === type && (!about || mentions(event, about)),
  );
}

function mentions(event: CapturedEvent, id: string): boolean {
  const data = event.data as Record<string, { id?: string } | string | undefined>;
  return [data.record_id, (data.record as { id?: string })?.id, (data.field as { id?: string })?.id]
    .concat([(data.table as { id?: string })?.id])
    .includes(id);
}

/** Waits until `probe` satisfies `done` (10 s at most). */
export async function until<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A real port in front of an app tested through `inject()`: what Airtable's pings need. The
 * body is passed on byte for byte, with the headers a ping carries.
 */
export async function startForwarder(app: () => FastifyInstance): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-airtable-content-mac']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      app()
        .inject({ method: 'POST', url: req.url ?? '/', headers, payload: Buffer.concat(chunks) })
        .then((answer) => res.writeHead(answer.statusCode).end(answer.rawPayload))
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
