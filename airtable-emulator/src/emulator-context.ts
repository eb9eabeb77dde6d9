import { join } from 'node:path';
import type { EmulatorContext } from './context.ts';
import { FormulaCache } from './fields/formula-cache.ts';
import { directoryFileStore, memoryFileStore } from './model/file-store.ts';
import { createIdGenerator, createSeededIdGenerator } from './model/ids.ts';
import { EmulatorStore } from './model/store.ts';
import { DEFAULT_ITERATOR_TTL_MS, type EmulatorOptions } from './options.ts';
import { IteratorStore } from './records/iterators.ts';
import { WebhookStore } from './webhooks/webhook-store.ts';

/** The empty state one emulator instance owns: bases, iterators, files and webhooks. */
export function createEmulatorContext(options: EmulatorOptions): EmulatorContext {
  const now = options.now ?? (() => new Date());
  const ids = options.idSeed === undefined ? createIdGenerator() : createSeededIdGenerator(options.idSeed);
  const store = new EmulatorStore({ ids, now });
  const ctx: EmulatorContext = {
    store,
    ids,
    now,
    formulas: new FormulaCache(),
    iterators: new IteratorStore({
      ttlMs: options.iteratorTtlMs ?? DEFAULT_ITERATOR_TTL_MS,
      maxIterators: 10_000,
      now: () => now().getTime(),
      ids,
    }),
    // Uploaded files live beside the state file, one file each, so the state stays small.
    files: options.dataDir ? directoryFileStore(join(options.dataDir, 'attachments')) : memoryFileStore(),
    webhooks: new WebhookStore({ ids, now, touch: () => store.touch() }),
  };
  if (options.fresh) ctx.files.clear();
  return ctx;
}
