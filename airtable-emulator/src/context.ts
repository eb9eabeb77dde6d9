import type { FormulaCache } from './fields/formula-cache.ts';
import { RecordReader } from './fields/record-reader.ts';
import type { FileStore } from './model/file-store.ts';
import type { IdGenerator } from './model/ids.ts';
import type { BaseData, EmulatorStore } from './model/store.ts';
import type { TableDef } from './model/types.ts';
import type { IteratorStore } from './records/iterators.ts';
import type { WebhookStore } from './webhooks/webhook-store.ts';

/** Everything a request handler needs, owned by one emulator instance. */
export interface EmulatorContext {
  store: EmulatorStore;
  formulas: FormulaCache;
  iterators: IteratorStore;
  /** The bytes of uploaded attachments. */
  files: FileStore;
  /** Webhooks and their payloads, per base. */
  webhooks: WebhookStore;
  ids: IdGenerator;
  now: () => Date;
}

export function readerFor(ctx: EmulatorContext, base: BaseData, table: TableDef): RecordReader {
  return new RecordReader(base, table, ctx.formulas, ctx.now());
}
