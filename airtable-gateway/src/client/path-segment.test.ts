import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors.ts';
import { encodePathSegment } from './path-segment.ts';

describe('a URL path segment', () => {
  it('is percent-encoded', () => {
    expect(encodePathSegment('Deals / 2026 ✓')).toBe('Deals%20%2F%202026%20%E2%9C%93');
  });

  it.each(['\ud800', 'a\udc00b'])(
    'refuses text a URL cannot carry (%j) with GATEWAY_INVALID_REQUEST',
    (text) => {
      expect.assertions(2);
      try {
        encodePathSegment(text);
      } catch (error) {
        expect(isGatewayError(error)).toBe(true);
        expect((error as { code: string }).code).toBe('GATEWAY_INVALID_REQUEST');
      }
    },
  );
});
