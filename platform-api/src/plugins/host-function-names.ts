/**
 * The host functions a plugin may import from `extism:host/user`. Each takes the offset of a
 * JSON request and returns the offset of a JSON answer: `{ "ok": true, … }` or
 * `{ "ok": false, "error": { "code", "message" } }`, so a refused call is an answer the
 * plugin can handle, never a trap. Logs and configuration use Extism's own kernel functions
 * (`log_info` …, `config_get`).
 */
export const HOST_FUNCTION_NAMES = [
  'records_list',
  'records_get',
  'records_write',
  'kv_get',
  'kv_set',
  'kv_delete',
  'emit_event',
] as const;

export type HostFunctionName = (typeof HOST_FUNCTION_NAMES)[number];

export const HOST_NAMESPACE = 'extism:host/user';
export const KERNEL_NAMESPACE = 'extism:host/env';
