import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ATTACHMENTS_PATH, serveAttachment } from '../routes/attachment-urls.ts';
import { type PipelineDeps, serveV0 } from './pipeline.ts';
import { type RequestGuardSettings, refuseForeignRequest } from './request-guard.ts';
import { sendJson } from './respond.ts';
import { type AdminServeDeps, serveAdmin } from './serve-admin.ts';

export interface EmulatorServerDeps {
  guard: RequestGuardSettings;
  pipeline: PipelineDeps;
  admin: AdminServeDeps;
}

/** Sends a request to the admin API, an attachment download or `/v0`, once the guard lets it in. */
function dispatch(deps: EmulatorServerDeps, req: IncomingMessage, res: ServerResponse): void {
  const { pipeline } = deps;
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const refusal = refuseForeignRequest(req.headers, deps.guard);
  if (refusal) {
    sendJson(res, refusal.status, refusal.toBody());
    return;
  }
  const done = url.pathname.startsWith('/__emulator/')
    ? serveAdmin(deps.admin, req, res, url)
    : url.pathname.startsWith(ATTACHMENTS_PATH)
      ? serveAttachment(pipeline.ctx.files, req, res, url)
      : serveV0(pipeline, req, res, url);
  // Changes are saved before their answer; this catches those whose request failed half-way.
  done.finally(pipeline.persist).catch((error: unknown) => pipeline.log(`emulator: ${String(error)}`));
}

/** Listens on `port` and `host`; resolves once the server accepts connections. */
export async function startEmulatorServer(
  deps: EmulatorServerDeps,
  port: number,
  host: string,
): Promise<Server> {
  // Node's default 16 KiB header limit would answer long URLs with a bare 431 before the
  // emulator's own Airtable-shaped 414 (URLs over maxUrlLength) could.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => dispatch(deps, req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
