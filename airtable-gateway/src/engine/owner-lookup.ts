import type { ResolvedGatewayOptions } from '../options.ts';
import { OwnerResolver } from '../owner-resolver.ts';
import type { GatewayRequest } from '../request.ts';
import { routeOf } from '../route.ts';
import type { AdmissionScheduler } from '../scheduling/admission-scheduler.ts';
import type { SendWithRetries } from './send-with-retries.ts';

const WHOAMI_PATH = '/v0/meta/whoami';

/**
 * Finds the owner whose budget a token spends, by asking whoami (on the token's own budget,
 * since its owner is not known yet). Airtable counts that whoami against the owner, so once
 * the owner is known its budget is spent for it too.
 */
export function createOwnerLookup(
  options: Readonly<ResolvedGatewayOptions>,
  scheduler: AdmissionScheduler,
  send: SendWithRetries,
): OwnerResolver {
  const whoamiRoute = routeOf('GET', WHOAMI_PATH);
  return new OwnerResolver(async (token, hash) => {
    const tokenKey = `owner:token-${hash}`;
    const request: GatewayRequest = {
      method: 'GET',
      path: WHOAMI_PATH,
      search: '',
      token,
      priority: 'interactive',
    };
    const answer = await send(
      request,
      whoamiRoute,
      [{ key: tokenKey, limit: options.perOwnerLimit }],
      tokenKey,
    );
    if (answer.status !== 200) return undefined;
    const id = (JSON.parse(answer.body) as { id?: unknown }).id;
    if (typeof id !== 'string') return undefined;
    const owner = `owner:${id}`;
    await scheduler.admit({
      queueKey: owner,
      keys: [{ key: owner, limit: options.perOwnerLimit }],
      priority: 'interactive',
    });
    return id;
  }, options.ownerCacheTtlMs);
}
