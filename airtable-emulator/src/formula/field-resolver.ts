import type { FormulaFieldInfo } from './types.ts';

/**
 * Finds the field a reference names. Exact name first (Airtable matches names exactly),
 * then a case-insensitive name (names are unique case-insensitively, so this cannot be
 * ambiguous), then a field id (`{fldXXXXXXXXXXXXXX}`, which Airtable's docs allow).
 */
export function createFieldResolver(fields: readonly FormulaFieldInfo[]) {
  const byName = new Map<string, FormulaFieldInfo>();
  const byLowerName = new Map<string, FormulaFieldInfo>();
  const byId = new Map<string, FormulaFieldInfo>();
  for (const field of fields) {
    if (!byName.has(field.name)) byName.set(field.name, field);
    const lower = field.name.toLowerCase();
    if (!byLowerName.has(lower)) byLowerName.set(lower, field);
    byId.set(field.id, field);
  }
  return (reference: string): FormulaFieldInfo | undefined =>
    byName.get(reference) ?? byLowerName.get(reference.toLowerCase()) ?? byId.get(reference);
}
