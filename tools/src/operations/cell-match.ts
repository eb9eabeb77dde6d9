/**
 * Whether a cell read back from Airtable holds what was sent: looser than equality, because
 * Airtable normalises what it stores (a typecast "5" becomes 5, a date gains milliseconds,
 * a link comes back as ids, an attachment gains an id and a size). Used only to recognise
 * records a lost answer created, where a miss means "send again" and a false match means
 * "never sent": so attachments and objects, which Airtable rewrites, are not compared.
 */
export function cellMatches(sent: unknown, stored: unknown): boolean {
  if (isEmpty(sent)) return isEmpty(stored);
  if (Array.isArray(sent)) {
    if (sent.some((v) => typeof v === 'object' && v !== null)) return true;
    if (!Array.isArray(stored)) return false;
    const a = sent.map(scalarText).sort();
    const b = stored.map(scalarText).sort();
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  if (typeof sent === 'object' && sent !== null) return true;
  if (isEmpty(stored)) return sent === false;
  return sameScalar(sent, stored);
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function scalarText(v: unknown): string {
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return String(o.id ?? o.name ?? o.email ?? JSON.stringify(o));
  }
  return String(v).trim();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

function sameScalar(sent: unknown, stored: unknown): boolean {
  if (typeof sent === 'number' || typeof stored === 'number') return Number(sent) === Number(stored);
  const a = String(sent).trim();
  const b = scalarText(stored);
  if (a === b) return true;
  if (ISO_DATE.test(a) && ISO_DATE.test(b)) return Date.parse(a) === Date.parse(b);
  return false;
}
