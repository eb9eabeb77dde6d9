import { z } from 'zod';
import type { WriteRun } from './chunked-write.ts';

export const idempotencyKeyInput = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe('Unique per call; resend a cut-short call with it to write only what is missing');

/** What every multi-record write adds to its output, so a caller can find or finish the operation. */
export const operationOutput = {
  operation_id: z.string().optional(),
  /** The key's call had already succeeded: this is its stored result and nothing was written now. */
  replayed: z.boolean().optional(),
  /** This call finished an earlier, interrupted call with the same key. */
  resumed: z.boolean().optional(),
};

/** The output a run gives: the stored one for a replay, else the fresh report with its operation. */
export async function outputOf<O extends Record<string, unknown>>(
  run: WriteRun,
  build: (run: Extract<WriteRun, { kind: 'ran' }>) => O,
): Promise<O> {
  if (run.kind === 'replayed') return { ...run.output, replayed: true } as unknown as O;
  const output: O = {
    ...build(run),
    ...(run.operation ? { operation_id: run.operation.id } : {}),
    ...(run.operation?.resumed ? { resumed: true } : {}),
  };
  await run.finish(output);
  return output;
}
