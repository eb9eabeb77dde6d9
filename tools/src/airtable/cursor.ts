import { createHash } from 'node:crypto';
import { ToolError } from '../core/tool-error.ts';

/**
 * An opaque continuation token: base64url JSON of how many records were already returned
 * and a fingerprint of the query they came from. (The gateway client follows Airtable's
 * offsets itself and does not expose them, so the position is what continues a listing.)
 */
interface CursorState {
  p: number;
  f: string;
}

/** A short, stable hash of everything that defines a listing (not its page size). */
export function queryFingerprint(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, f: fingerprint } satisfies CursorState)).toString(
    'base64url',
  );
}

/** The position a cursor continues from; garbage or a cursor of another query is TOOL_INVALID_CURSOR. */
export function decodeCursor(cursor: string, fingerprint: string): number {
  let state: Partial<CursorState> | undefined;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorState>;
  } catch {
    state = undefined;
  }
  if (
    !state ||
    typeof state.p !== 'number' ||
    !Number.isInteger(state.p) ||
    state.p < 0 ||
    typeof state.f !== 'string'
  )
    throw new ToolError(
      'TOOL_INVALID_CURSOR',
      'This cursor is not one this tool returned. Call again without cursor to start from the first page.',
    );
  if (state.f !== fingerprint)
    throw new ToolError(
      'TOOL_INVALID_CURSOR',
      'This cursor belongs to a different query (table, filter, sort, fields or view changed). Repeat the original query with it, or call again without cursor.',
    );
  return state.p;
}
