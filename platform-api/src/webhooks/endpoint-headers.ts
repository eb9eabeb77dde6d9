import { PlatformError } from '../errors.ts';
import { isReservedHeaderName } from './delivery/index.ts';

export const MAX_CUSTOM_HEADERS = 20;
const MAX_CUSTOM_HEADER_BYTES = 4096;

/** RFC 9110 token characters: what a header name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function refuse(message: string): never {
  throw new PlatformError('VALIDATION_FAILED', `headers: ${message}`, {
    errors: [{ field: 'headers', message }],
  });
}

/** Custom headers an endpoint sends with every delivery (an `Authorization` the receiver expects, say). */
export function checkCustomHeaders(headers: Record<string, string> | undefined): void {
  if (!headers) return;
  const entries = Object.entries(headers);
  if (entries.length > MAX_CUSTOM_HEADERS) refuse(`at most ${MAX_CUSTOM_HEADERS} custom headers`);
  let bytes = 0;
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) refuse(`"${name}" is not a valid header name`);
    // The sender's own list: what it sets (the signature, the framing) is never replaced.
    if (isReservedHeaderName(name)) refuse(`"${name}" is set by AirSuite and cannot be replaced`);
    if (seen.has(lower)) refuse(`"${name}" is given twice`);
    seen.add(lower);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      refuse(`the value of "${name}" must be one line of text`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (bytes > MAX_CUSTOM_HEADER_BYTES)
    refuse(`custom headers may hold at most ${MAX_CUSTOM_HEADER_BYTES} bytes in all`);
}
