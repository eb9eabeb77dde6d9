import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseQuery } from '@airsuite/airtable-gateway/wire';
import type { AdminApi, AdminExtra } from '../routes/admin.ts';
import { AirtableApiError } from './airtable-error.ts';
import { parseJsonBody, readBody } from './body.ts';
import { errors } from './errors.ts';
import { type RequestGuardSettings, refuseAdminCall } from './request-guard.ts';
import { sendJson } from './respond.ts';
import { type Router, splitPath } from './router.ts';

export interface AdminServeDeps {
  admin: AdminApi;
  router: Router<AdminExtra>;
  guard: RequestGuardSettings;
  maxBodyBytes: number;
  log: (message: string) => void;
  persist: () => Promise<void>;
}

/**
 * Serves one `/__emulator` request. Health stays open for probes; failures are answered in
 * Airtable's shape, and unexpected ones are logged and answered as 500.
 */
export async function serveAdmin(
  deps: AdminServeDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    if (!(req.method === 'GET' && url.pathname === '/__emulator/health')) {
      const refusal = refuseAdminCall(req.headers, deps.guard);
      if (refusal) throw refusal;
    }
    const route = deps.router.match(req.method ?? 'GET', splitPath(url.pathname) ?? []);
    if (route === undefined || route === 'method') throw errors.notFound();
    const body = ['GET', 'DELETE'].includes(req.method ?? 'GET')
      ? undefined
      : parseJsonBody(await readBody(req, deps.maxBodyBytes * 4));
    const result = await route.handler({
      params: route.params,
      query: parseQuery(url.searchParams),
      body,
      extra: { admin: deps.admin },
    });
    await deps.persist();
    sendJson(res, result.status, result.body);
  } catch (error) {
    if (!(error instanceof AirtableApiError))
      deps.log(`emulator admin: ${(error as Error)?.stack ?? String(error)}`);
    const answer = error instanceof AirtableApiError ? error : errors.serverError();
    sendJson(res, answer.status, answer.toBody());
  }
}
