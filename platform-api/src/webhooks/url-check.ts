import { PlatformError } from '../errors.ts';
import type { AddressPolicy } from './delivery/index.ts';

/**
 * The endpoints service's URL check: the delivery policy itself, so a URL saved is a URL the
 * sender would reach (the sender checks again on every attempt, as DNS answers change).
 */
export function urlCheckFor(policy: AddressPolicy): (url: string) => Promise<void> {
  return async (url) => {
    const result = await policy.check(url);
    if (result.ok) return;
    const { code, message } = result.refusal;
    const details = { errors: [{ field: 'url', message }], reason: code };
    if (code === 'WEBHOOK_URL_FORBIDDEN_ADDRESS') {
      throw new PlatformError(
        'WEBHOOK_URL_FORBIDDEN',
        `url: ${message}; deliveries go only to public addresses (a development deployment may allow-list hosts with AIRSUITE_WEBHOOK_ALLOW)`,
        details,
      );
    }
    throw new PlatformError('WEBHOOK_URL_INVALID', `url: ${message}`, details);
  };
}
