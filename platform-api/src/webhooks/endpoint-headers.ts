import { PlatformError } from '../errors.ts';

export const MAX_CUSTOM_HEADERS = 20;
const MAX_CUSTOM_HEADER_BYTES = 4096;

/** RFC 9110 token characters: what a header name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers the platform sets itself: a custom header may not replace the signature, the
 * message's identity, or how the body is framed.
 */
const RESERVED = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'user-agent',
  'expect',
]);

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
    if (RESERVED.has(lower) || lower.startsWith('webhook-'))
      refuse(`"${name}" is set by AirSuite and cannot be replaced`);
    if (seen.has(lower)) refuse(`"${name}" is given twice`);
    seen.add(lower);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      refuse(`the value of "${name}" must be one line of text`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (bytes > MAX_CUSTOM_HEADER_BYTES)
    refuse(`custom headers may hold at most ${MAX_CUSTOM_HEADER_BYTES} bytes in all`);
}
