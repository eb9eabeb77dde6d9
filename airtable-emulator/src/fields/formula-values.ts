import type { FormulaValue } from '../formula/index.ts';
import type { Attachment, CellValue, FieldDef } from '../model/types.ts';

/** A stored (non-computed) cell in the formula domain. `linkNames` renders linked record ids. */
export function storedToFormula(
  field: FieldDef,
  cell: CellValue | undefined,
  linkNames: (ids: string[]) => string[],
): FormulaValue {
  if (cell === undefined) return null;
  switch (field.type) {
    case 'date':
      return new Date(`${String(cell)}T00:00:00.000Z`);
    case 'dateTime':
      return new Date(String(cell));
    case 'multipleRecordLinks':
      return linkNames(cell as string[]);
    case 'multipleAttachments':
      return (cell as Attachment[]).map((a) => `${a.filename} (${a.url})`);
    case 'multipleSelects':
      return [...(cell as string[])];
    default:
      return cell as string | number | boolean;
  }
}
