import { createAirtableGateway, type GatewayEngine, isGatewayError } from '@airsuite/airtable-gateway';
import { PlatformError } from '../errors.ts';
import type { TokenValidator } from './connections.ts';

/** whoami through the gateway: a token Airtable refuses is never stored. */
export function gatewayValidator(engine: GatewayEngine): TokenValidator {
  return async (token) => {
    const client = createAirtableGateway({ engine, token, priority: 'interactive' });
    try {
      const me = await client.whoami();
      return { airtableUserId: me.id };
    } catch (error) {
      if (isGatewayError(error) && (error.upstreamStatus === 401 || error.upstreamStatus === 403)) {
        throw new PlatformError(
          'CONNECTION_INVALID_TOKEN',
          'Airtable did not accept this token; check it and its scopes',
        );
      }
      throw new PlatformError(
        'CONNECTION_UNREACHABLE',
        'Airtable could not be reached to check the token; try again',
      );
    } finally {
      await client.close();
    }
  };
}
