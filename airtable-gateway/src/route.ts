/** What a `/v0` path is about: which budgets it spends, whether it reads, what it may cache. */
export interface RouteInfo {
  /** `upload`: Airtable's upload-attachment endpoint, served on its content origin, not the API's. */
  kind: 'records' | 'comments' | 'upload' | 'schema' | 'bases' | 'whoami' | 'webhooks' | 'other';
  baseId?: string;
  /** Reads are safe to retry and to merge; writes are sent once. */
  read: boolean;
  /** A records list by GET that could move to `POST …/listRecords`. */
  listByGet: boolean;
}

function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

export function routeOf(method: string, path: string): RouteInfo {
  const s = segmentsOf(path);
  const get = method === 'GET';
  if (s[0] !== 'v0') return { kind: 'other', read: get, listByGet: false };
  if (s[1] === 'meta') {
    if (s[2] === 'whoami') return { kind: 'whoami', read: get, listByGet: false };
    if (s[2] === 'bases' && s[3]) return { kind: 'schema', baseId: s[3], read: get, listByGet: false };
    return { kind: 'bases', read: get, listByGet: false };
  }
  if (s[1] === 'bases' && s[2]) return { kind: 'webhooks', baseId: s[2], read: get, listByGet: false };
  const baseId = s[1];
  if (!baseId || !s[2]) return { kind: 'other', baseId, read: get, listByGet: false };
  // `/v0/{baseId}/{recordId}/{field}/uploadAttachment`: a write to one record, on the content origin.
  if (s.length === 5 && s[4] === 'uploadAttachment')
    return { kind: 'upload', baseId, read: false, listByGet: false };
  if (s[4] === 'comments') return { kind: 'comments', baseId, read: get, listByGet: false };
  const listRecords = method === 'POST' && s.length === 4 && s[3] === 'listRecords';
  return { kind: 'records', baseId, read: get || listRecords, listByGet: get && s.length === 3 };
}
