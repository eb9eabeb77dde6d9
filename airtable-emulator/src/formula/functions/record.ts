import type { FunctionSpec } from './function-spec.ts';

/** Facts about the record being evaluated rather than its cells. */
export const RECORD_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'RECORD_ID',
    kind: 'eager',
    minArgs: 0,
    maxArgs: 0,
    returns: 'singleLineText',
    call: (_args, record) => record.recordId,
  },
  {
    name: 'CREATED_TIME',
    kind: 'eager',
    minArgs: 0,
    maxArgs: 0,
    returns: 'dateTime',
    call: (_args, record) => record.createdTime,
  },
  {
    name: 'LAST_MODIFIED_TIME',
    kind: 'lazy',
    minArgs: 0,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'dateTime',
    // Field arguments narrow Airtable's answer to those fields' edits; the context only knows the
    // record's last edit, so they are compiled (and listed as referenced) but never evaluated.
    call: (_args, record) => record.lastModifiedTime,
  },
];
