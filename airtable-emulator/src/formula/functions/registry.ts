import { AGGREGATE_FUNCTIONS } from './aggregate.ts';
import { ARRAY_FUNCTIONS } from './array.ts';
import { DATE_MATH_FUNCTIONS } from './date-math.ts';
import { DATE_PART_FUNCTIONS } from './date-parts.ts';
import type { FunctionSpec } from './function-spec.ts';
import { LOGICAL_FUNCTIONS } from './logical.ts';
import { NUMERIC_FUNCTIONS } from './numeric.ts';
import { RECORD_FUNCTIONS } from './record.ts';
import { REGEX_FUNCTIONS } from './regex.ts';
import { TEXT_FUNCTIONS } from './text.ts';

/** Every function the engine knows, by upper-case name. Built once; never modified. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(
  [
    ...LOGICAL_FUNCTIONS,
    ...TEXT_FUNCTIONS,
    ...REGEX_FUNCTIONS,
    ...NUMERIC_FUNCTIONS,
    ...AGGREGATE_FUNCTIONS,
    ...DATE_PART_FUNCTIONS,
    ...DATE_MATH_FUNCTIONS,
    ...ARRAY_FUNCTIONS,
    ...RECORD_FUNCTIONS,
  ].map((spec) => [spec.name, spec]),
);
