/**
 * A cell value from a webhook payload (Airtable's V2 cell format) in the format the REST API
 * and the platform's other record events use: a select is its name, several selects their
 * names, links the linked record ids. Every other type is the same in both formats.
 */
export function restCellValue(fieldType: string | undefined, value: unknown): unknown {
  const nameOf = (item: unknown) =>
    item !== null && typeof item === 'object' && 'name' in item ? (item as { name: unknown }).name : item;
  const idOf = (item: unknown) =>
    item !== null && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : item;
  switch (fieldType) {
    case 'singleSelect':
      return nameOf(value);
    case 'multipleSelects':
      return Array.isArray(value) ? value.map(nameOf) : value;
    case 'multipleRecordLinks':
      return Array.isArray(value) ? value.map(idOf) : value;
    default:
      return value;
  }
}
