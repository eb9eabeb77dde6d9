/**
 * Airtable's rules for a file sent to the upload-attachment endpoint, shared by the emulator
 * (which enforces them as Airtable does) and the tools (which check them before sending).
 */

/** The largest file Airtable takes by upload: "5 MB", read as 5,000,000 bytes once decoded. */
export const MAX_UPLOAD_BYTES = 5_000_000;

const NOT_BASE64 = /[^A-Za-z0-9+/]/;

/** Bytes a base64 text decodes to, without decoding it; undefined when it is not base64. */
export function base64Size(text: string): number | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  // A plain character test, not one pattern over the whole text: files run to millions of characters.
  if (NOT_BASE64.test(text.slice(0, text.length - padding))) return undefined;
  return (text.length / 4) * 3 - padding;
}

/**
 * The bytes of standard, padded base64 (RFC 4648 §4), or undefined for anything else: a
 * `data:` URL, base64url, stray characters or a cut-off text. Node's own decoder skips
 * such characters silently, which would store a corrupt file.
 */
export function decodeBase64(text: string): Buffer | undefined {
  return base64Size(text) === undefined ? undefined : Buffer.from(text, 'base64');
}
