import { GatewayError } from '../errors.ts';

/**
 * One URL path segment (base id, table, record id). Text a URL cannot carry (a lone UTF-16
 * surrogate) is the caller's mistake: a typed GATEWAY_INVALID_REQUEST, not a URIError.
 */
export function encodePathSegment(segment: string): string {
  try {
    return encodeURIComponent(segment);
  } catch {
    throw new GatewayError('GATEWAY_INVALID_REQUEST', {
      message: 'An id or name in the request is not valid Unicode text (a lone surrogate)',
    });
  }
}
