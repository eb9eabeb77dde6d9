import { createHash } from 'node:crypto';
import { ToolError } from '../core/tool-error.ts';

/**
 * An opaque continuation token: base64url JSON of Airtable's offset for the next page, how
 * many records were already returned (to resume if Airtable has forgotten the offset), and
 * a fingerprint of the query they came from.
 */
interface CursorState {
  p: number;
  f: string;
  o?: string;
}

export interface CursorPosition {
  position: number;
  offset?: string;
}

/** A short, stable hash of everything that defines a listing (not its page size). */
export function queryFingerprint(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: number, fingerprint: string, offset?: string): string {
  const state: CursorState =
    offset === undefined ? { p: position, f: fingerprint } : { p: position, f: fingerprint, o: offset };
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The position a cursor continues from; garbage or a cursor of another query is TOOL_INVALID_CURSOR. */
export function decodeCursor(cursor: string, fingerprint: string): CursorPosition {
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
    typeof state.f !== 'string' ||
    (state.o !== undefined && typeof state.o !== 'string')
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
  return state.o === undefined ? { position: state.p } : { position: state.p, offset: state.o };
}
